//! Property tests of `tmd fmt` on random valid models.
//!
//! A small generator (seeded, so every failure can be replayed) writes
//! random models that compile without errors: elements with labels full of
//! quotes, backslashes, line breaks, tabs, emoji, invisible and bidi
//! characters; nested boundaries (empty ones too); flows with and without
//! IDs and attributes; actors; controls; threats on elements, boundaries,
//! flow IDs and `A -> B`, with every status, tracking facts and controls;
//! header statements anywhere at top level; risk scales (built-in ones
//! chosen with `risk`, and `scale` declarations, used or not) with threats
//! rated on them; boundary attributes on lines of their own, responses
//! (`response_to`), assumptions resting on threats, elements, boundaries
//! and flows. It lays them out at
//! random: spacing, tabs, indentation, one-line and multi-line blocks,
//! trailing commas, CRLF or LF, a byte-order mark, no final line end, blank
//! lines, and comments (suppressions among them) at every place a comment
//! may stand. Then it checks:
//!
//! - the model compiles without errors, and so does its formatted text;
//! - both export to the same JSON and draw the same warnings;
//! - formatting is idempotent;
//! - every comment the generator wrote is in the output, in order;
//! - the output's layout invariants (no trailing white space, no two blank
//!   lines in a row, one final line end, indentation in spaces, line ends);
//! - nothing is aligned, so diffs stay small: adding one key to a block of
//!   the formatted output, or one statement at top level, and formatting
//!   again changes exactly that one line (a one-line block that still fits
//!   stays one changed line).
//!
//! `TMD_FMT_CASES=N` runs N cases (default 400); `TMD_FMT_SEED=S` starts
//! at seed S (a failure names its seed).

use tmd::fmt::verify::{comments, verify};

/// splitmix64: small, fast, and good enough to explore layouts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    /// True with probability `percent`%.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

const KEYWORDS: &[&str] = &[
    "title",
    "scope",
    "author",
    "created",
    "updated",
    "version",
    "direction",
    "external",
    "process",
    "store",
    "boundary",
    "flow",
    "actor",
    "threat",
    "on",
    "true",
    "false",
];
const BUILTIN_ACTORS: &[&str] = &[
    "apt",
    "external_attacker",
    "malicious_insider",
    "accidental_insider",
];

/// Characters for string values: the hard cases and some plain ones.
const STRING_CHARS: &[char] = &[
    'a', 'b', 'Z', '0', ' ', ' ', '"', '\\', '\n', '\t', '#', '{', '}', ',', ':', '\'', '-', '>',
    'é', '日', '😀', '☁', '\u{FE0F}', '\u{200D}', '\u{202E}', '\u{2066}', '\u{200B}', '\u{A0}',
    '\u{301}', '\u{E000}', '\u{FEFF}', '\u{2028}', 'Ω',
];

/// Pieces of comment text.
const COMMENT_PIECES: &[&str] = &[
    "",
    " ",
    "  ",
    "\t",
    "note",
    " a comment",
    "#",
    "##",
    "\"quoted\"",
    " { not: code }",
    " tmd: allow TMD103",
    " tmd: allow TMD106, TMD109",
    "tmd: allow TMD999",
    " é 日本 😀",
    " \u{202E}bidi",
    " trailing   ",
    "->",
    " x: 1,",
];

struct Gen {
    rng: Rng,
    names: Vec<String>,
    /// Every comment written, in order (text after `#`, trimmed at the end).
    comments: Vec<String>,
    nl: &'static str,
    mixed_line_ends: bool,
    /// The classification levels in force (language 0.2).
    levels: Vec<String>,
    /// The data assets declared so far.
    assets: Vec<String>,
}

struct Element {
    id: String,
}

/// The risk scale a generated model rates its threats on (language 0.2):
/// the header that chooses it, the declaration of a custom one, and the
/// words threats write.
struct ScaleChoice {
    header: Option<String>,
    declaration: Option<String>,
    /// (axis name, levels) in reading order: the column's, then the row's.
    axes: [(String, Vec<String>); 2],
    severities: Vec<String>,
}

impl ScaleChoice {
    fn of(scale: &tmd::model::Scale, header: Option<String>) -> ScaleChoice {
        ScaleChoice {
            header,
            declaration: None,
            axes: [
                (scale.columns.name.clone(), scale.columns.levels.clone()),
                (scale.rows.name.clone(), scale.rows.levels.clone()),
            ],
            severities: scale.severities.iter().map(|s| s.word.clone()).collect(),
        }
    }
}

struct Flow {
    id: Option<String>,
    source: String,
    target: String,
    /// Whether it answers a request (`response_to`, language 0.2).
    response: bool,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut rng = Rng(seed);
        let nl = if rng.chance(25) { "\r\n" } else { "\n" };
        let mixed_line_ends = rng.chance(5);
        Gen {
            rng,
            names: Vec::new(),
            comments: Vec::new(),
            nl,
            mixed_line_ends,
            levels: Vec::new(),
            assets: Vec::new(),
        }
    }

    fn nl(&mut self) -> &'static str {
        if self.mixed_line_ends && self.rng.chance(30) {
            if self.nl == "\n" {
                "\r\n"
            } else {
                "\n"
            }
        } else {
            self.nl
        }
    }

    fn fresh_name(&mut self) -> String {
        const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
        loop {
            let len = 1 + self.rng.below(8);
            let mut name = String::new();
            name.push(*self.rng.pick(FIRST) as char);
            for _ in 1..len {
                name.push(*self.rng.pick(REST) as char);
            }
            // Sometimes a word that is a value word elsewhere.
            if self.rng.chance(3) {
                name = self
                    .rng
                    .pick(&["low", "fix", "easy", "open", "high", "left"])
                    .to_string();
            }
            if KEYWORDS.contains(&name.as_str())
                || BUILTIN_ACTORS.contains(&name.as_str())
                || self.names.contains(&name)
            {
                continue;
            }
            self.names.push(name.clone());
            return name;
        }
    }

    /// Required white space between tokens.
    fn req(&mut self) -> &'static str {
        self.rng.pick_str(&[" ", " ", " ", "  ", "\t", " \t "])
    }

    /// Optional white space (around `->`, `:`, `,`, braces).
    fn opt(&mut self) -> &'static str {
        self.rng.pick_str(&["", "", " ", " ", "  ", "\t"])
    }

    fn indent(&mut self, depth: usize) -> String {
        if self.rng.chance(70) {
            "  ".repeat(depth)
        } else {
            self.rng
                .pick(&["", " ", "\t", "    ", "\t  ", "        "])
                .to_string()
        }
    }

    fn comment(&mut self) -> String {
        let mut text = String::new();
        for _ in 0..self.rng.below(4) {
            let piece = self.rng.pick_str(COMMENT_PIECES);
            text.push_str(piece);
        }
        self.comments
            .push(text.trim_end_matches([' ', '\t']).to_string());
        format!("#{text}")
    }

    /// Maybe an end-of-line comment (with its leading space).
    fn eol_comment(&mut self, percent: u64) -> String {
        if self.rng.chance(percent) {
            let space = self.opt();
            format!("{space}{}", self.comment())
        } else {
            String::new()
        }
    }

    /// Maybe some blank and comment lines (at `depth`).
    fn filler(&mut self, depth: usize, out: &mut String) {
        while self.rng.chance(25) {
            if self.rng.chance(50) {
                let ws = self.rng.pick(&["", "", "  ", "\t"]);
                out.push_str(ws);
            } else {
                let indent = self.indent(depth);
                out.push_str(&indent);
                let c = self.comment();
                out.push_str(&c);
            }
            let nl = self.nl();
            out.push_str(nl);
        }
    }

    fn string(&mut self) -> String {
        let len = self.rng.below(12);
        let mut out = String::from("\"");
        for _ in 0..len {
            let c = *self.rng.pick(STRING_CHARS);
            let escaped = self.rng.chance(20);
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' if escaped => out.push_str("\\t"),
                c if escaped => {
                    let hex = if self.rng.chance(50) {
                        format!("{:x}", c as u32)
                    } else {
                        format!("{:04X}", c as u32)
                    };
                    out.push_str(&format!("\\u{{{hex}}}"));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    fn date(&mut self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            1990 + self.rng.below(60),
            1 + self.rng.below(12),
            1 + self.rng.below(28)
        )
    }

    fn x_value(&mut self) -> String {
        match self.rng.below(6) {
            0 => self.string(),
            1 => self.rng.pick(&["true", "false"]).to_string(),
            2 => self.rng.below(100_000).to_string(),
            3 => self.date(),
            4 => self.rng.pick(&["low", "some-word", "X_1"]).to_string(),
            _ => self.list(),
        }
    }

    fn list(&mut self) -> String {
        let n = self.rng.below(4);
        let mut items = Vec::new();
        for _ in 0..n {
            items.push(self.string());
        }
        let mut out = String::from("[");
        out.push_str(self.opt());
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                let (a, b) = (self.opt(), self.opt());
                out.push_str(&format!("{a},{b}"));
            }
            out.push_str(item);
        }
        if n > 0 && self.rng.chance(20) {
            out.push(',');
        }
        out.push_str(self.opt());
        out.push(']');
        out
    }

    /// A block of `entries` at `depth` (its `{` ends a line at depth - 1).
    /// Returns the text from `{` to `}` and the comment after `}` (for a
    /// multi-line block; a one-line block's comment is the caller's).
    fn block(&mut self, entries: &[(String, String)], depth: usize, threat: bool) -> String {
        let multiline = self.rng.chance(if threat { 60 } else { 35 });
        if !multiline {
            let mut out = String::from("{");
            out.push_str(self.opt());
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    let (a, b) = (self.opt(), self.opt());
                    out.push_str(&format!("{a},{b}"));
                }
                let (a, b) = (self.opt(), self.opt());
                out.push_str(&format!("{k}{a}:{b}{v}"));
            }
            if !entries.is_empty() && self.rng.chance(15) {
                out.push(',');
            }
            out.push_str(self.opt());
            out.push('}');
            return out;
        }
        let mut out = String::from("{");
        out.push_str(&self.eol_comment(25));
        let nl = self.nl();
        out.push_str(nl);
        for (k, v) in entries {
            self.filler(depth, &mut out);
            let indent = self.indent(depth);
            let (a, b) = (self.opt(), self.opt());
            out.push_str(&format!("{indent}{k}{a}:{b}{v}"));
            if self.rng.chance(30) {
                out.push_str(self.opt());
                out.push(',');
            }
            out.push_str(&self.eol_comment(20));
            let nl = self.nl();
            out.push_str(nl);
        }
        self.filler(depth, &mut out);
        let indent = self.indent(depth.saturating_sub(1));
        out.push_str(&indent);
        out.push('}');
        out
    }

    /// A list of declared assets, each at most once (language 0.2).
    fn asset_list(&mut self) -> String {
        let mut names = self.assets.clone();
        self.rng.shuffle(&mut names);
        let n = self.rng.below(names.len().min(3) + 1);
        let mut out = String::from("[");
        out.push_str(self.opt());
        for (i, name) in names.iter().take(n).enumerate() {
            if i > 0 {
                let (a, b) = (self.opt(), self.opt());
                out.push_str(&format!("{a},{b}"));
            }
            out.push_str(name);
        }
        out.push_str(self.opt());
        out.push(']');
        out
    }

    /// An `asset` declaration (language 0.2): its classification is one
    /// of the levels in force.
    fn asset(&mut self) -> String {
        let id = self.fresh_name();
        self.assets.push(id.clone());
        let mut line = format!("asset{}{id}", self.req());
        line.push_str(&self.maybe_label(70));
        let level = self.rng.pick(&self.levels).clone();
        let mut entries = vec![("classification".to_string(), level)];
        for key in ["confidentiality", "integrity", "availability"] {
            if self.rng.chance(40) {
                let rating = self.rng.pick(&["low", "medium", "high"]).to_string();
                entries.push((key.to_string(), rating));
            }
        }
        if self.rng.chance(40) {
            entries.push(("description".to_string(), self.string()));
        }
        if self.rng.chance(20) {
            entries.push(("x_owner".to_string(), self.x_value()));
        }
        self.rng.shuffle(&mut entries);
        let r = self.req();
        let block = self.block(&entries, 1, false);
        line.push_str(&format!("{r}{block}"));
        line
    }

    fn maybe_label(&mut self, percent: u64) -> String {
        if self.rng.chance(percent) {
            format!("{}{}", self.req(), self.string())
        } else {
            String::new()
        }
    }

    fn element(&mut self, depth: usize, out: &mut String, elements: &mut Vec<Element>) {
        let id = self.fresh_name();
        let kind = *self.rng.pick(&["external", "process", "store"]);
        let indent = self.indent(depth);
        let (r1, r2) = (self.req(), self.req());
        let label = self.maybe_label(70);
        out.push_str(&format!("{indent}{kind}{r1}{id}{label}"));
        if self.rng.chance(50) {
            let mut entries = Vec::new();
            let mut keys: Vec<&str> =
                vec!["description", "tech", "owner", "out_of_scope", "x_a", "x_b"];
            if !self.assets.is_empty() {
                keys.push("assets");
            }
            self.rng.shuffle(&mut keys);
            for key in keys.iter().take(self.rng.below(5)) {
                let value = match *key {
                    // A reason string is also allowed (language 0.2).
                    "out_of_scope" => match self.rng.below(3) {
                        0 => self.string(),
                        _ => self.rng.pick(&["true", "false"]).to_string(),
                    },
                    k if k.starts_with("x_") => self.x_value(),
                    "assets" => self.asset_list(),
                    _ => self.string(),
                };
                entries.push((key.to_string(), value));
            }
            let block = self.block(&entries, depth + 1, false);
            out.push_str(&format!("{r2}{block}"));
        }
        out.push_str(&self.eol_comment(20));
        let nl = self.nl();
        out.push_str(nl);
        elements.push(Element { id });
    }

    fn boundary(
        &mut self,
        depth: usize,
        out: &mut String,
        elements: &mut Vec<Element>,
        boundaries: &mut Vec<String>,
    ) {
        let id = self.fresh_name();
        boundaries.push(id.clone());
        let indent = self.indent(depth);
        let r = self.req();
        let label = self.maybe_label(60);
        let r2 = self.req();
        out.push_str(&format!("{indent}boundary{r}{id}{label}{r2}{{"));
        let members = self.rng.below(5);
        if members == 0 && self.rng.chance(50) {
            let o = self.opt();
            out.push_str(&format!("{o}}}"));
            out.push_str(&self.eol_comment(20));
            let nl = self.nl();
            out.push_str(nl);
            return;
        }
        out.push_str(&self.eol_comment(20));
        let nl = self.nl();
        out.push_str(nl);
        // Language 0.2: the boundary's own attributes, each on a line of
        // its own, anywhere in its body.
        let mut attributes: Vec<&str> = vec!["kind", "description", "x_zone"];
        self.rng.shuffle(&mut attributes);
        attributes.truncate(self.rng.below(4));
        for _ in 0..members {
            self.filler(depth + 1, out);
            if !attributes.is_empty() && self.rng.chance(40) {
                let key = attributes.remove(0);
                self.boundary_attribute(key, depth + 1, out);
            }
            if depth < 4 && self.rng.chance(25) {
                self.boundary(depth + 1, out, elements, boundaries);
            } else {
                self.element(depth + 1, out, elements);
            }
        }
        for key in attributes {
            self.filler(depth + 1, out);
            self.boundary_attribute(key, depth + 1, out);
        }
        self.filler(depth + 1, out);
        let indent = self.indent(depth);
        out.push_str(&format!("{indent}}}"));
        out.push_str(&self.eol_comment(20));
        let nl = self.nl();
        out.push_str(nl);
    }

    /// `kind: ...`, `description: ...` or an `x_` key on a line of its own
    /// in a boundary's body (language 0.2).
    fn boundary_attribute(&mut self, key: &str, depth: usize, out: &mut String) {
        let value = match key {
            "kind" if self.rng.chance(70) => self
                .rng
                .pick(&[
                    "network",
                    "cloud-account",
                    "host",
                    "container",
                    "device",
                    "organisation",
                ])
                .to_string(),
            k if k.starts_with("x_") => self.x_value(),
            _ => self.string(),
        };
        let indent = self.indent(depth);
        let (a, b) = (self.opt(), self.opt());
        out.push_str(&format!("{indent}{key}{a}:{b}{value}"));
        out.push_str(&self.eol_comment(20));
        let nl = self.nl();
        out.push_str(nl);
    }

    fn flow(&mut self, elements: &[Element], flows: &mut Vec<Flow>) -> Option<String> {
        if elements.len() < 2 {
            return None;
        }
        // Language 0.2: sometimes the response to a named request, the
        // other way between the same two elements.
        let requests: Vec<(String, String, String)> = flows
            .iter()
            .filter(|f| !f.response)
            .filter_map(|f| Some((f.id.clone()?, f.source.clone(), f.target.clone())))
            .collect();
        let request = if !requests.is_empty() && self.rng.chance(25) {
            Some(self.rng.pick(&requests).clone())
        } else {
            None
        };
        let (source, target) = match &request {
            Some((_, s, t)) => (t.clone(), s.clone()),
            None => {
                let s = self.rng.below(elements.len());
                let mut t = self.rng.below(elements.len() - 1);
                if t >= s {
                    t += 1;
                }
                (elements[s].id.clone(), elements[t].id.clone())
            }
        };
        let id = if self.rng.chance(40) {
            Some(self.fresh_name())
        } else {
            None
        };
        let mut line = format!("flow{}", self.req());
        if let Some(id) = &id {
            let (a, b) = (self.opt(), self.opt());
            line.push_str(&format!("{id}{a}:{b}"));
        }
        let (a, b) = (self.opt(), self.opt());
        line.push_str(&format!("{source}{a}->{b}{target}"));
        line.push_str(&self.maybe_label(60));
        if self.rng.chance(50) || request.is_some() {
            let mut keys: Vec<&str> = vec![
                "protocol",
                "encrypted",
                "authenticated",
                "data",
                "initiator",
                "description",
                "out_of_scope",
                "x_q",
                "colour",
            ];
            if !self.assets.is_empty() {
                keys.push("assets");
            }
            self.rng.shuffle(&mut keys);
            // A response's initiator is its request's: none written.
            if request.is_some() {
                keys.retain(|k| *k != "initiator");
            }
            let mut entries = Vec::new();
            if let Some((id, _, _)) = &request {
                entries.push(("response_to".to_string(), id.clone()));
            }
            for key in keys.iter().take(self.rng.below(6)) {
                let value = match *key {
                    "encrypted" | "authenticated" => self.rng.pick(&["true", "false"]).to_string(),
                    "out_of_scope" => match self.rng.below(2) {
                        0 => self.string(),
                        _ => self.rng.pick(&["true", "false"]).to_string(),
                    },
                    "data" => self.list(),
                    "initiator" => self.rng.pick(&[source.clone(), target.clone()]).clone(),
                    "assets" => self.asset_list(),
                    "x_q" => self.x_value(),
                    _ => self.string(),
                };
                entries.push((key.to_string(), value));
            }
            self.rng.shuffle(&mut entries);
            let r = self.req();
            let block = self.block(&entries, 1, false);
            line.push_str(&format!("{r}{block}"));
        }
        flows.push(Flow {
            id,
            source,
            target,
            response: request.is_some(),
        });
        Some(line)
    }

    fn actor(&mut self, actors: &mut Vec<String>) -> String {
        let id = self.fresh_name();
        actors.push(id.clone());
        let mut line = format!("actor{}{id}", self.req());
        line.push_str(&self.maybe_label(50));
        if self.rng.chance(40) {
            let mut entries = Vec::new();
            if self.rng.chance(70) {
                entries.push(("description".to_string(), self.string()));
            }
            if self.rng.chance(30) {
                entries.push(("x_level".to_string(), self.x_value()));
            }
            let r = self.req();
            let block = self.block(&entries, 1, false);
            line.push_str(&format!("{r}{block}"));
        }
        line
    }

    /// A control declaration (language 0.2).
    fn control(&mut self, controls: &mut Vec<String>) -> String {
        let id = self.fresh_name();
        controls.push(id.clone());
        let mut line = format!("control{}{id}", self.req());
        line.push_str(&self.maybe_label(70));
        if self.rng.chance(70) {
            let mut entries = Vec::new();
            if self.rng.chance(70) {
                entries.push((
                    "status".to_string(),
                    self.rng
                        .pick(&["planned", "implemented", "verified"])
                        .to_string(),
                ));
            }
            if self.rng.chance(40) {
                entries.push(("description".to_string(), self.string()));
            }
            if self.rng.chance(40) {
                entries.push(("ticket".to_string(), self.string()));
            }
            if self.rng.chance(40) {
                entries.push(("reduces".to_string(), self.rng.below(101).to_string()));
            }
            if self.rng.chance(20) {
                entries.push(("x_vendor".to_string(), self.x_value()));
            }
            self.rng.shuffle(&mut entries);
            let r = self.req();
            let block = self.block(&entries, 1, false);
            line.push_str(&format!("{r}{block}"));
        }
        line
    }

    /// A string that is not blank.
    fn nonblank(&mut self) -> String {
        let s = self.string();
        format!("\"J{}", &s[1..])
    }

    fn threat(
        &mut self,
        targets: &[String],
        pair_targets: &[(String, String, String)],
        actors: &[String],
        controls: &[String],
        scale: &ScaleChoice,
    ) -> (String, String) {
        let id = self.fresh_name();
        let mut line = format!("threat{}{id}", self.req());
        line.push_str(&self.maybe_label(60));
        // Language 0.2: one target, several (each at most once), or none
        // yet.
        let count = match self.rng.below(10) {
            0 => 0,
            1 | 2 => 2 + self.rng.below(3),
            _ => 1,
        };
        let mut written: Vec<String> = Vec::new();
        for _ in 0..count {
            let one = if !pair_targets.is_empty() && (targets.is_empty() || self.rng.chance(25)) {
                let (s, t, key) = self.rng.pick(pair_targets).clone();
                let (a, b) = (self.opt(), self.opt());
                (key, format!("{s}{a}->{b}{t}"))
            } else {
                let target: &String = self.rng.pick(targets);
                (target.clone(), target.clone())
            };
            if !written.contains(&one.0) {
                written.push(one.0);
                if written.len() == 1 {
                    let (r1, r2) = (self.req(), self.req());
                    line.push_str(&format!("{r1}on{r2}"));
                } else {
                    let (a, b) = (self.opt(), self.opt());
                    line.push_str(&format!("{a},{b}"));
                }
                line.push_str(&one.1);
            }
        }
        let mut letters: Vec<char> = "STRIDE".chars().collect();
        self.rng.shuffle(&mut letters);
        let stride: String = letters.iter().take(1 + self.rng.below(6)).collect();
        let actor = if actors.is_empty() || self.rng.chance(40) {
            self.rng.pick(BUILTIN_ACTORS).to_string()
        } else {
            self.rng.pick(actors).clone()
        };
        // `actor` and `stride` are optional (language 0.2).
        let mut entries = vec![("scenario".to_string(), self.string())];
        if self.rng.chance(80) {
            entries.push(("actor".to_string(), actor));
        }
        if self.rng.chance(80) {
            entries.push(("stride".to_string(), stride));
        }
        // The scale's axes and severities (language 0.2: other scales).
        let [(column, columns), (row, rows)] = &scale.axes;
        let how = self.rng.below(3);
        if how != 0 {
            entries.push((column.clone(), self.rng.pick(columns).clone()));
            entries.push((row.clone(), self.rng.pick(rows).clone()));
        }
        if how != 1 {
            entries.push(("severity".into(), self.rng.pick(&scale.severities).clone()));
        }
        if self.rng.chance(50) {
            entries.push(("mitigation".into(), self.string()));
        }
        if self.rng.chance(40) {
            entries.push((
                "remediation".into(),
                self.rng
                    .pick(&["fix", "workaround", "monitoring"])
                    .to_string(),
            ));
        }
        if self.rng.chance(40) {
            // Every status of language 0.2; two need a justification.
            let status = self
                .rng
                .pick(&[
                    "open",
                    "investigating",
                    "in-progress",
                    "mitigated",
                    "accepted",
                    "transferred",
                    "false-positive",
                ])
                .to_string();
            if status == "transferred" || status == "false-positive" || self.rng.chance(30) {
                entries.push(("justification".into(), self.nonblank()));
            }
            entries.push(("status".into(), status));
        }
        for key in ["owner", "ticket", "reviewed_by"] {
            if self.rng.chance(15) {
                entries.push((key.into(), self.string()));
            }
        }
        for key in ["reviewed_on", "expires"] {
            if self.rng.chance(15) {
                entries.push((key.into(), self.date()));
            }
        }
        if !controls.is_empty() && self.rng.chance(40) {
            let mut named: Vec<String> = controls.to_vec();
            self.rng.shuffle(&mut named);
            named.truncate(1 + self.rng.below(named.len()));
            let mut list = String::from("[");
            list.push_str(self.opt());
            for (i, c) in named.iter().enumerate() {
                if i > 0 {
                    let (a, b) = (self.opt(), self.opt());
                    list.push_str(&format!("{a},{b}"));
                }
                list.push_str(c);
            }
            list.push_str(self.opt());
            list.push(']');
            entries.push(("controls".into(), list));
        }
        if self.rng.chance(20) {
            entries.push(("x_cwe".into(), self.x_value()));
        }
        self.rng.shuffle(&mut entries);
        let r = self.req();
        let block = self.block(&entries, 1, true);
        line.push_str(&format!("{r}{block}"));
        (id, line)
    }

    /// An assumption (language 0.2) resting on some of `names` (threats,
    /// elements, boundaries, flow IDs), each at most once.
    fn assumption(&mut self, names: &[String]) -> String {
        let id = self.fresh_name();
        let mut line = format!("assumption{}{id}", self.req());
        line.push_str(&self.maybe_label(80));
        if self.rng.chance(70) {
            let mut keys: Vec<&str> = vec!["status", "owner", "for", "description", "x_ref"];
            self.rng.shuffle(&mut keys);
            let mut entries = Vec::new();
            for key in keys.iter().take(self.rng.below(6)) {
                let value = match *key {
                    "status" => self
                        .rng
                        .pick(&["unverified", "verified", "wrong"])
                        .to_string(),
                    "for" => {
                        let mut pool: Vec<String> = names.to_vec();
                        self.rng.shuffle(&mut pool);
                        pool.truncate(self.rng.below(4));
                        let mut list = String::from("[");
                        list.push_str(self.opt());
                        for (i, name) in pool.iter().enumerate() {
                            if i > 0 {
                                let (a, b) = (self.opt(), self.opt());
                                list.push_str(&format!("{a},{b}"));
                            }
                            list.push_str(name);
                        }
                        list.push_str(self.opt());
                        list.push(']');
                        list
                    }
                    k if k.starts_with("x_") => self.x_value(),
                    _ => self.string(),
                };
                entries.push((key.to_string(), value));
            }
            let r = self.req();
            let block = self.block(&entries, 1, false);
            line.push_str(&format!("{r}{block}"));
        }
        line
    }

    /// `[a, b, c]` with random spacing.
    fn words(&mut self, words: &[String]) -> String {
        let mut out = String::from("[");
        out.push_str(self.opt());
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                let (a, b) = (self.opt(), self.opt());
                out.push_str(&format!("{a},{b}"));
            }
            out.push_str(w);
        }
        out.push_str(self.opt());
        out.push(']');
        out
    }

    /// Some of `pool`, in its order (at least one).
    fn some_of(&mut self, pool: &[&str], max: usize) -> Vec<String> {
        loop {
            let picked: Vec<String> = pool
                .iter()
                .filter(|_| self.rng.chance(60))
                .take(max)
                .map(|w| w.to_string())
                .collect();
            if !picked.is_empty() {
                return picked;
            }
        }
    }

    /// A `scale` declaration: its text, and what threats write on it.
    fn custom_scale(&mut self) -> (String, ScaleChoice) {
        let id = self.fresh_name();
        let mut names = vec![
            "likelihood",
            "impact",
            "exposure",
            "harm",
            "chance",
            "reach",
        ];
        self.rng.shuffle(&mut names);
        let (row_axis, column_axis) = (names[0].to_string(), names[1].to_string());
        let rows = self.some_of(&["minor", "major", "severe", "grave"], 4);
        let columns = self.some_of(&["rare", "possible", "very-likely", "certain"], 4);
        let severities = self.some_of(&["trivial", "low", "medium", "high", "critical"], 5);
        let mut band = 0;
        let bands: Vec<String> = severities
            .iter()
            .map(|_| {
                band = (band + self.rng.below(2)).min(2);
                ["low", "medium", "high"][band].to_string()
            })
            .collect();
        let mut entries = vec![
            ("rows".to_string(), row_axis.clone()),
            ("columns".to_string(), column_axis.clone()),
            (row_axis.clone(), self.words(&rows)),
            (column_axis.clone(), self.words(&columns)),
            ("severities".to_string(), self.words(&severities)),
            ("bands".to_string(), self.words(&bands)),
        ];
        for level in &rows {
            let row: Vec<String> = columns
                .iter()
                .map(|_| self.rng.pick(&severities).clone())
                .collect();
            let list = self.words(&row);
            entries.push((level.clone(), list));
        }
        if self.rng.chance(30) {
            entries.push(("description".to_string(), self.string()));
        }
        if self.rng.chance(20) {
            entries.push(("x_source".to_string(), self.x_value()));
        }
        self.rng.shuffle(&mut entries);
        let mut line = format!("scale{}{id}", self.req());
        line.push_str(&self.maybe_label(50));
        let r = self.req();
        let block = self.block(&entries, 1, false);
        line.push_str(&format!("{r}{block}"));
        let choice = ScaleChoice {
            header: Some(format!("risk{}{id}", self.req())),
            declaration: None,
            axes: [(column_axis, columns), (row_axis, rows)],
            severities,
        };
        (line, choice)
    }

    /// The scale the model's threats are rated on: the primer's (no
    /// header, or `risk primer`), a built-in one, or one it declares (and
    /// maybe a declared one it does not use).
    fn scale(&mut self) -> ScaleChoice {
        use tmd::model::BuiltinScale;
        let mut choice = match self.rng.below(8) {
            0 => ScaleChoice::of(
                &BuiltinScale::Primer.scale(),
                Some(format!("risk{}primer", self.req())),
            ),
            1 => ScaleChoice::of(
                &BuiltinScale::Owasp.scale(),
                Some(format!("risk{}owasp", self.req())),
            ),
            2 => ScaleChoice::of(
                &BuiltinScale::Threagile.scale(),
                Some(format!("risk{}threagile", self.req())),
            ),
            3 | 4 => {
                let (declaration, mut choice) = self.custom_scale();
                choice.declaration = Some(declaration);
                choice
            }
            _ => ScaleChoice::of(&BuiltinScale::Primer.scale(), None),
        };
        if choice.declaration.is_none() && self.rng.chance(10) {
            // Declared, not used.
            choice.declaration = Some(self.custom_scale().0);
        }
        choice
    }

    /// A whole model.
    fn model(&mut self) -> String {
        // Language 0.2: the levels in force (sometimes the model's own)
        // and the assets, first, so that elements and flows can name them.
        let own_levels = self.rng.chance(30);
        self.levels = if own_levels {
            let mut pool = vec![
                "public",
                "internal",
                "confidential",
                "restricted",
                "secret",
                "top-secret",
                "tlp-red",
                "L1",
                "green_zone",
            ];
            self.rng.shuffle(&mut pool);
            let n = 1 + self.rng.below(5);
            pool.iter().take(n).map(|l| l.to_string()).collect()
        } else {
            ["public", "internal", "confidential", "restricted"]
                .map(str::to_string)
                .to_vec()
        };
        let mut asset_lines = Vec::new();
        for _ in 0..self.rng.below(4) {
            let line = self.asset();
            asset_lines.push(line);
        }
        let mut elements = Vec::new();
        let mut boundaries = Vec::new();
        // Declarations first (boundaries need their nesting), as chunks.
        let mut chunks: Vec<String> = Vec::new();
        for _ in 0..self.rng.below(10) {
            let mut chunk = String::new();
            if self.rng.chance(30) {
                self.boundary(0, &mut chunk, &mut elements, &mut boundaries);
            } else {
                self.element(0, &mut chunk, &mut elements);
            }
            chunks.push(chunk);
        }
        let mut lines: Vec<String> = Vec::new();
        let scale = self.scale();
        if let Some(declaration) = &scale.declaration {
            lines.push(declaration.clone());
        }
        if let Some(header) = &scale.header {
            lines.push(header.clone());
        }
        let mut headers = vec![
            ("title", self.string()),
            ("scope", self.string()),
            ("author", self.string()),
            ("created", self.date()),
            ("updated", self.date()),
            ("version", self.string()),
            (
                "direction",
                self.rng.pick(&["left-right", "top-down"]).to_string(),
            ),
            // Language 0.2.
            (
                "reviewers",
                format!("[{}, {}]", self.string(), self.string()),
            ),
            ("contributors", format!("[{}]", self.string())),
            ("link", self.string()),
        ];
        self.rng.shuffle(&mut headers);
        for (key, value) in headers.iter().take(self.rng.below(11)) {
            lines.push(format!("{key}{}{value}", self.req()));
        }
        if own_levels {
            let (a, b) = (self.opt(), self.opt());
            let levels = self.levels.join(&format!("{a},{b}"));
            lines.push(format!("classification{}[{levels}]", self.req()));
        }
        if self.rng.chance(25) {
            let level = self.rng.pick(&self.levels).clone();
            lines.push(format!("sensitive{}{level}", self.req()));
        }
        lines.extend(asset_lines);
        let mut actors = Vec::new();
        for _ in 0..self.rng.below(3) {
            let line = self.actor(&mut actors);
            lines.push(line);
        }
        let mut controls = Vec::new();
        for _ in 0..self.rng.below(3) {
            let line = self.control(&mut controls);
            lines.push(line);
        }
        let mut flows = Vec::new();
        for _ in 0..self.rng.below(8) {
            if let Some(line) = self.flow(&elements, &mut flows) {
                lines.push(line);
            }
        }
        let mut targets: Vec<String> = elements.iter().map(|e| e.id.clone()).collect();
        targets.extend(boundaries.iter().cloned());
        targets.extend(flows.iter().filter_map(|f| f.id.clone()));
        let pair_targets: Vec<(String, String, String)> = flows
            .iter()
            .filter(|f| {
                flows
                    .iter()
                    .filter(|g| g.source == f.source && g.target == f.target)
                    .count()
                    == 1
            })
            .map(|f| {
                // The same flow by ID or by its ends is one target.
                let key =
                    f.id.clone()
                        .unwrap_or_else(|| format!("{}->{}", f.source, f.target));
                (f.source.clone(), f.target.clone(), key)
            })
            .collect();
        let mut threat_ids = Vec::new();
        if !targets.is_empty() || !pair_targets.is_empty() {
            for _ in 0..self.rng.below(5) {
                let (id, line) = self.threat(&targets, &pair_targets, &actors, &controls, &scale);
                threat_ids.push(id);
                lines.push(line);
            }
        }
        let mut resting = targets.clone();
        resting.extend(threat_ids);
        for _ in 0..self.rng.below(3) {
            let line = self.assumption(&resting);
            lines.push(line);
        }
        // One-line statements get their indentation and comments now, in a
        // random order with the declarations.
        for line in lines {
            let indent = self.indent(0);
            let comment = self.eol_comment(20);
            let nl = self.nl();
            chunks.push(format!("{indent}{line}{comment}{nl}"));
        }
        if self.rng.chance(50) {
            self.rng.shuffle(&mut chunks);
        }
        // The comments were recorded in generation order; lay them out in
        // file order by reading them back from the text (checked against
        // the recorded multiset below).
        let mut out = String::new();
        if self.rng.chance(10) {
            out.push('\u{FEFF}');
        }
        self.filler(0, &mut out);
        for chunk in chunks {
            out.push_str(&chunk);
            self.filler(0, &mut out);
        }
        if self.rng.chance(15) {
            while out.ends_with('\n') {
                out.pop();
                if out.ends_with('\r') {
                    out.pop();
                }
            }
        }
        out
    }
}

fn check_layout(seed: u64, source: &str, out: &str) {
    let crlf = {
        let s = source.strip_prefix('\u{FEFF}').unwrap_or(source);
        s.find('\n')
            .is_some_and(|i| i > 0 && s.as_bytes()[i - 1] == b'\r')
    };
    let nl = if crlf { "\r\n" } else { "\n" };
    if out.is_empty() {
        return;
    }
    assert!(out.ends_with(nl), "seed {seed}: no final line end");
    assert!(
        !out.starts_with(nl),
        "seed {seed}: starts with a blank line"
    );
    let body = out.strip_suffix(nl).unwrap_or(out);
    let mut previous_blank = false;
    for line in body.split(nl) {
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "seed {seed}: stray line end in {line:?}"
        );
        assert_eq!(
            line.trim_end(),
            line,
            "seed {seed}: trailing white space in {line:?}"
        );
        let indent = line.len() - line.trim_start_matches(' ').len();
        assert!(indent % 2 == 0, "seed {seed}: odd indentation in {line:?}");
        assert!(
            !line.starts_with('\t') && !line.trim_start_matches(' ').starts_with('\t'),
            "seed {seed}: tab indent"
        );
        let blank = line.is_empty();
        assert!(
            !(blank && previous_blank),
            "seed {seed}: two blank lines in a row"
        );
        previous_blank = blank;
    }
    assert!(!previous_blank, "seed {seed}: blank line at the end");
}

/// The blocks of a parsed file, top level and inside boundaries.
fn blocks(items: &[tmd::syntax::ast::Item]) -> Vec<tmd::syntax::ast::Block> {
    use tmd::syntax::ast::{Item, StatementKind};
    let mut out = Vec::new();
    let mut stack: Vec<&[Item]> = vec![items];
    while let Some(items) = stack.pop() {
        for item in items {
            let Item::Statement(s) = item else { continue };
            let block = match &s.kind {
                StatementKind::Element(e) => e.attributes.clone(),
                StatementKind::Flow(f) => f.attributes.clone(),
                StatementKind::Actor(a) => a.attributes.clone(),
                StatementKind::Threat(t) => Some(t.body.clone()),
                StatementKind::Boundary(b) => {
                    stack.push(&b.items);
                    None
                }
                StatementKind::Declaration(d) => d.attributes.clone(),
                StatementKind::Header(_) | StatementKind::Attribute(_) => None,
            };
            out.extend(block);
        }
    }
    out
}

/// How many lines `before` and `after` differ by: (removed, added).
fn line_changes(before: &str, after: &str) -> (usize, usize) {
    let diff = similar::TextDiff::from_lines(before, after);
    let mut changes = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => changes.0 += 1,
            similar::ChangeTag::Insert => changes.1 += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    changes
}

fn reformat(text: &str) -> String {
    let c = tmd::compile(text);
    let file = c.file.as_ref().expect("still parses");
    tmd::fmt::format(file, &c.source)
}

/// A key no generated block has, longer than every key the language knows.
const ADDED_KEY: &str = "x_added_by_the_property_test";

/// Adds one key to a block of `out` (formatted), or one statement at top
/// level, formats again, and checks that exactly one line changed.
fn check_small_diffs(seed: u64, out: &str) {
    let mut rng = Rng(seed ^ 0x5EED);
    let nl = if out.contains("\r\n") { "\r\n" } else { "\n" };
    let c = tmd::compile(out);
    let Some(file) = c.file.as_ref() else { return };
    let line_start = |line: usize| -> usize {
        out.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
    };
    let line_of = |offset: usize| out[..offset].matches('\n').count();
    let mut edits: Vec<(String, bool)> = Vec::new();
    for block in blocks(&file.items) {
        if block.multiline {
            // A new entry line anywhere between `{` and `}`, indented as
            // the `}` line plus one level.
            let open = line_of(block.open.start);
            let close = line_of(block.close.start);
            let at = open + 1 + rng.below(close - open);
            let indent: String = out[line_start(close)..]
                .chars()
                .take_while(|&c| c == ' ')
                .collect();
            let pos = line_start(at);
            let text = format!("{}{indent}  {ADDED_KEY}: 1{nl}{}", &out[..pos], &out[pos..]);
            edits.push((text, true));
        } else if block.entries().next().is_some() {
            let pos = block.close.start;
            let head = out[..pos].trim_end_matches(' ');
            let text = format!("{head}, {ADDED_KEY}: 1 {}", &out[pos..]);
            edits.push((text, false));
        }
    }
    // A statement before a top-level statement, or at the end.
    let starts: Vec<usize> = file
        .items
        .iter()
        .filter_map(|i| match i {
            tmd::syntax::ast::Item::Statement(s) => Some(line_start(line_of(s.span.start))),
            _ => None,
        })
        .chain(std::iter::once(out.len()))
        .collect();
    let pos = *rng.pick(&starts);
    let statement = if rng.chance(50) || out.contains("version ") {
        "external zz_added_by_the_property_test"
    } else {
        "version \"added\""
    };
    edits.push((
        format!("{}{statement}{nl}{}", &out[..pos], &out[pos..]),
        true,
    ));
    for (edited, added_line) in edits {
        let again = reformat(&edited);
        let (removed, added) = line_changes(out, &again);
        let expected = if added_line { (0, 1) } else { (1, 1) };
        let split = !added_line && again.lines().count() != out.lines().count();
        assert!(
            (removed, added) == expected || split,
            "seed {seed}: adding one line changed {removed} and added {added} lines\n--- before\n{out}\n--- after\n{again}"
        );
    }
}

fn run_case(seed: u64) {
    let mut generator = Gen::new(seed);
    let source = generator.model();
    let compilation = tmd::compile(&source);
    assert!(
        !compilation.has_errors(),
        "seed {seed}: the generator wrote a model with errors:\n{source}\n{:#?}",
        compilation.diagnostics
    );
    let file = compilation
        .file
        .as_ref()
        .expect("a model without errors parsed");
    let out = tmd::fmt::format(file, &compilation.source);
    // Compiles, same export, same warnings, same comments, idempotent.
    if let Err(problem) = verify(&compilation, &out) {
        panic!("seed {seed}: {problem}\n--- source\n{source}\n--- formatted\n{out}");
    }
    // Every comment the generator wrote, in order (the generator's record
    // is in generation order; the text is in file order: compare as
    // multisets, and the order through the lexer).
    let mut written = generator.comments.clone();
    let mut found: Vec<String> = comments(&out).into_iter().map(str::to_string).collect();
    assert_eq!(
        comments(&source),
        comments(&out),
        "seed {seed}: comments differ"
    );
    written.sort();
    found.sort();
    assert_eq!(
        written, found,
        "seed {seed}: comments lost\n{source}\n---\n{out}"
    );
    check_layout(seed, &compilation.source, &out);
    check_small_diffs(seed, &out);
}

#[test]
fn formatting_random_models_keeps_meaning_comments_and_is_idempotent() {
    let cases: u64 = std::env::var("TMD_FMT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let start: u64 = std::env::var("TMD_FMT_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    for seed in start..start + cases {
        run_case(seed);
    }
}

#[test]
fn the_generator_explores_the_layouts_it_claims() {
    // Guard against a generator that silently stopped producing the hard
    // cases: over the default run, each form must show up.
    let mut seen = std::collections::BTreeMap::new();
    for seed in 1..=400u64 {
        let source = Gen::new(seed).model();
        for (what, needle) in [
            ("crlf", "\r\n"),
            ("bom", "\u{FEFF}"),
            ("tab", "\t"),
            ("multi-line block", "{\n"),
            ("one-line block", "{ "),
            ("trailing comma", ",\n"),
            ("flow with ID", ":"),
            ("A -> B target", " on "),
            ("escape", "\\u{"),
            ("bidi", "\u{202E}"),
            ("suppression", "tmd: allow"),
            ("empty boundary", "{}"),
            ("nested boundary", "  boundary"),
            ("boundary attribute", "kind"),
            ("response", "response_to"),
            ("assumption", "assumption"),
            ("control", "control"),
            ("threat controls", "controls"),
            ("status of 0.2", "false-positive"),
            ("tracking fact", "reviewed_on"),
            ("asset", "classification"),
            ("assets on something", "assets"),
            ("risk header", "risk"),
            ("scale declaration", "severities"),
        ] {
            if source.contains(needle) {
                *seen.entry(what).or_insert(0) += 1;
            }
        }
        // The header, as opposed to an asset's `classification:`.
        if source
            .lines()
            .any(|l| l.trim_start().starts_with("classification") && l.contains('['))
        {
            *seen.entry("classification").or_insert(0) += 1;
        }
    }
    for what in [
        "crlf",
        "bom",
        "tab",
        "multi-line block",
        "one-line block",
        "trailing comma",
        "flow with ID",
        "A -> B target",
        "escape",
        "bidi",
        "suppression",
        "empty boundary",
        "nested boundary",
        "boundary attribute",
        "response",
        "assumption",
        "control",
        "threat controls",
        "status of 0.2",
        "tracking fact",
        "asset",
        "classification",
        "assets on something",
        "risk header",
        "scale declaration",
    ] {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 5,
            "{what}: {seen:?}"
        );
    }
}

/// Prints a few generated models and their formatting, to look at:
/// `cargo test --test fmt_properties show_some_models -- --ignored --nocapture`.
#[test]
#[ignore]
fn show_some_models() {
    for seed in [3u64, 7, 11] {
        let source = Gen::new(seed).model();
        let c = tmd::compile(&source);
        println!(
            "=== seed {seed}\n{source}\n--- formatted\n{}",
            tmd::fmt::format(c.file.as_ref().unwrap(), &c.source)
        );
    }
}
