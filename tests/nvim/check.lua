-- Drives Neovim's built-in LSP client against `tmd lsp` (tests/nvim.rs):
-- run headless with the configuration docs/editors.md gives, on a copy of
-- samples/acme-ecommerce.tmd. Writes "ok" or the failures to the file
-- $TMD_NVIM_RESULT, then quits.
local failures = {}
local function check(ok, what)
  if not ok then table.insert(failures, what) end
end
local function finish()
  local f = io.open(os.getenv("TMD_NVIM_RESULT"), "w")
  f:write(#failures == 0 and "ok\n" or table.concat(failures, "\n") .. "\n")
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == "tmd", "filetype is tmd, not " .. vim.bo[buf].filetype)
  check(vim.bo[buf].commentstring == "# %s", "commentstring")
  local attached = vim.wait(10000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 50)
  check(attached, "the client attached within 10 s")
  if not attached then return end
  local client = vim.lsp.buf_get_clients(buf)[next(vim.lsp.buf_get_clients(buf))]
  vim.wait(10000, function() return client.initialized end, 50)
  check(client.name == "tmd", "client name")

  -- The sample's one warning, TMD106, as a diagnostic.
  local function codes()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do out[tostring(d.code)] = true end
    return out
  end
  check(vim.wait(10000, function() return codes()["TMD106"] end, 50), "TMD106 published")

  -- An edit that breaks the model: TMD003 as you type.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { "flow order_api -> nowhere" })
  check(vim.wait(10000, function() return codes()["TMD003"] end, 50), "TMD003 after the edit")
  vim.api.nvim_buf_set_lines(buf, last, last + 1, false, {})
  check(vim.wait(10000, function() return not codes()["TMD003"] end, 50), "TMD003 gone after undoing the edit")

  local function at(pattern, shift)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local col = line:find(pattern, 1, true)
      if col then
        return { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = i - 1, character = col - 1 + (shift or 0) } }
      end
    end
  end
  local function result(method, params)
    local answers = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
    for _, a in pairs(answers) do if a.result then return a.result end end
  end

  -- Hover on a threat: how its severity was reached.
  local hover = result("textDocument/hover", at("threat T3", 8))
  local text = hover and (hover.contents.value or vim.inspect(hover.contents)) or ""
  check(text:find("ease `easy`", 1, true) ~= nil, "hover on T3: " .. text:sub(1, 200))

  -- Definition of a flow's end: the element's declaration.
  local def = result("textDocument/definition", at("flow wms -> courier", 14))
  local loc = def and (def[1] or def)
  local decl = at("external courier", 9)
  check(loc ~= nil and loc.range.start.line == decl.position.line, "definition of courier: " .. vim.inspect(loc))

  -- References of order_api: its declaration and every use.
  local refs = result("textDocument/references", vim.tbl_extend("force", at("process order_api", 8), { context = { includeDeclaration = true } }))
  check(refs ~= nil and #refs >= 4, "references of order_api: " .. tostring(refs and #refs))

  -- Completion after `actor: `.
  local line = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, line, line, false, { "threat T9 on wms {", "  actor: ", "}" })
  local comp = result("textDocument/completion", { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = line + 1, character = 9 } })
  local items = comp and (comp.items or comp) or {}
  local labels = {}
  for _, item in ipairs(items) do labels[item.label] = true end
  check(labels["external_adversary"], "completion of actors offers external_adversary")
  vim.api.nvim_buf_set_lines(buf, line, line + 3, false, {})

  -- Formatting the whole document answers edits (or none, when formatted).
  local fmt = vim.lsp.buf_request_sync(buf, "textDocument/formatting", { textDocument = vim.lsp.util.make_text_document_params(buf), options = { tabSize = 2, insertSpaces = true } }, 10000)
  local answered = false
  for _, a in pairs(fmt or {}) do answered = answered or a.err == nil end
  check(answered, "formatting answered")

  -- The outline.
  local symbols = result("textDocument/documentSymbol", { textDocument = vim.lsp.util.make_text_document_params(buf) })
  check(symbols ~= nil and #symbols > 5, "document symbols")
end)
if not ok then table.insert(failures, "error: " .. tostring(err)) end
finish()
