//! `tmd lsp` on a sequence of edits: the input is a model, then edits
//! (`\x00` separates them; each is two position bytes, a length byte and
//! the text to insert), applied as incremental changes at UTF-16
//! positions that may fall anywhere (past a line's end, inside a
//! surrogate pair, before the start). After each edit every request is
//! made at the edit's position. The server must answer each one without
//! an internal error (a panic it caught) and keep serving.
#![no_main]

use std::sync::OnceLock;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

const URI: &str = "file:///fuzz/model.tmd";

struct Client {
    connection: Connection,
    next: i32,
    version: i32,
}

fn client() -> &'static Mutex<Client> {
    static CLIENT: OnceLock<Mutex<Client>> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let (server, client) = Connection::memory();
        std::thread::spawn(move || {
            let mut host = tmd::lsp::NoProject;
            let _ = tmd::lsp::serve(&server, &mut host, &json!({}));
        });
        let c = Client { connection: client, next: 0, version: 0 };
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "tmd", "version": 0, "text": ""}}),
        );
        Mutex::new(c)
    })
}

impl Client {
    fn notify(&self, method: &str, params: Value) {
        let _ = self
            .connection
            .sender
            .send(Message::Notification(Notification::new(method.to_string(), params)));
    }

    fn call(&mut self, method: &str, params: Value) {
        self.next += 1;
        let id = RequestId::from(self.next);
        let _ = self
            .connection
            .sender
            .send(Message::Request(Request::new(id.clone(), method.to_string(), params)));
        loop {
            match self.connection.receiver.recv() {
                Ok(Message::Response(r)) if r.id == id => {
                    if let Err(e) = r.response_result {
                        assert_ne!(e.code, -32603, "{method}: {}", e.message);
                    }
                    return;
                }
                Ok(_) => {}
                Err(_) => panic!("the server stopped"),
            }
        }
    }

    fn change(&mut self, params: Value) {
        self.version += 1;
        let mut params = params;
        params["textDocument"] = json!({"uri": URI, "version": self.version});
        self.notify("textDocument/didChange", params);
    }

    fn every_request(&mut self, line: u32, character: u32) {
        let at = json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/documentHighlight",
            "textDocument/completion",
            "textDocument/prepareRename",
        ] {
            self.call(method, at.clone());
        }
        let mut refs = at.clone();
        refs["context"] = json!({"includeDeclaration": true});
        self.call("textDocument/references", refs);
        let mut rename = at.clone();
        rename["newName"] = json!("fuzzed");
        self.call("textDocument/rename", rename);
        let doc = json!({"textDocument": {"uri": URI}});
        self.call("textDocument/documentSymbol", doc.clone());
        self.call("textDocument/semanticTokens/full", doc.clone());
        let mut fmt = doc.clone();
        fmt["options"] = json!({"tabSize": 2, "insertSpaces": true});
        self.call("textDocument/formatting", fmt);
        let mut actions = doc;
        actions["range"] = json!({"start": {"line": 0, "character": 0}, "end": {"line": line, "character": character}});
        actions["context"] = json!({"diagnostics": []});
        self.call("textDocument/codeAction", actions);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let Some(first) = parts.next() else { return };
    let Ok(mut c) = client().lock() else { return };
    c.change(json!({"contentChanges": [{"text": String::from_utf8_lossy(first)}]}));
    c.every_request(0, 0);
    for edit in parts.take(16) {
        let [line, character, length, rest @ ..] = edit else {
            continue;
        };
        let (line, character) = (u32::from(*line % 64), u32::from(*character));
        let end = character + u32::from(*length % 16);
        c.change(json!({"contentChanges": [{
            "range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": end}},
            "text": String::from_utf8_lossy(rest),
        }]}));
        c.every_request(line, character);
    }
});
