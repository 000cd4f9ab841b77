; tmd highlights (tree-sitter). Capture names are the common ones
; (Neovim, Helix and Zed all know them).

(comment) @comment
(allow_directive) @comment @keyword.directive

(header
  keyword: _ @keyword)

(element
  kind: _ @keyword.type)
["boundary" "flow" "actor" "threat"] @keyword
(declaration
  kind: _ @keyword)
"on" @keyword.operator
"->" @operator

(element name: (identifier) @type)
(boundary name: (identifier) @module)
(flow name: (identifier) @function)
(flow source: (identifier) @variable)
(flow target: (identifier) @variable)
(actor name: (identifier) @type)
(threat name: (identifier) @label)
(target (identifier) @variable)
(declaration name: (identifier) @type)

(entry key: (identifier) @property)
(attribute key: (identifier) @property)

; Values: IDs after the keys that name things, STRIDE letters after
; `stride`, and the words of closed sets (and of the headers) elsewhere.
; No two patterns capture the same node, so the order does not matter.
; A list is captured whole (its brackets and commas keep their own
; capture): the highlighter drops a capture that a later one in the same
; match precedes.
(entry
  key: (identifier) @_key
  value: (word) @variable
  (#any-of? @_key "actor" "initiator" "response_to" "for" "controls" "assets"))
(entry
  key: (identifier) @_key
  value: (list) @variable
  (#any-of? @_key "actor" "initiator" "response_to" "for" "controls" "assets"))
(entry
  key: (identifier) @_key
  value: (word) @constant.builtin
  (#eq? @_key "stride"))
(entry
  key: (identifier) @_key
  value: (word) @constant
  (#not-any-of? @_key "stride" "actor" "initiator" "response_to" "for" "controls" "assets"))
(entry
  key: (identifier) @_key
  value: (list) @constant
  (#not-any-of? @_key "actor" "initiator" "response_to" "for" "controls" "assets"))
(attribute value: (word) @constant)
(attribute value: (list (word) @constant))
(header value: (word) @constant)
(header value: (list (word) @constant))

(string) @string
(escape_sequence) @string.escape
(date) @number
(integer) @number
(boolean) @boolean
["{" "}" "[" "]"] @punctuation.bracket
["," ":"] @punctuation.delimiter
