//! Which protocols carry their data encrypted, read from the free text
//! of a flow's `protocol:`. `tmd diff` reads it (protection lost or
//! gained, `docs/review.md`) and so does TMD115 (a flow whose `encrypted`
//! is not given is encrypted when its protocol says so).

/// Protocol names (the first word of `protocol:`, lower case) that carry
/// the data encrypted.
pub const ENCRYPTED_PROTOCOLS: &[&str] = &[
    "https",
    "tls",
    "mtls",
    "ssl",
    "dtls",
    "sftp",
    "ftps",
    "scp",
    "ssh",
    "wss",
    "amqps",
    "ldaps",
    "smtps",
    "imaps",
    "pop3s",
    "mqtts",
    "rediss",
    "sips",
    "ipsec",
    "wireguard",
    "starttls",
];

/// Protocol names that carry the data in clear.
pub const PLAIN_PROTOCOLS: &[&str] = &[
    "http", "ftp", "tftp", "telnet", "rsh", "rlogin", "ws", "amqp", "ldap", "smtp", "imap", "pop3",
    "mqtt", "sip",
];

/// Words that, anywhere in `protocol:`, say the transport is encrypted:
/// `Kafka (TLS, SASL/SCRAM)`, `PostgreSQL (TLS)`, `HTTP (inside the mesh,
/// mTLS)`, `SMTP with STARTTLS`.
const ENCRYPTION_MARKERS: &[&str] = &["tls", "mtls", "ssl", "starttls", "ipsec", "wireguard"];

/// Whether a protocol carries the data encrypted: `Some(true)` when a word
/// of it names encryption ([`ENCRYPTION_MARKERS`]) or its first word is an
/// encrypted protocol, `Some(false)` when its first word is a plain one
/// (and nothing says TLS), `None` when tmd cannot tell (`gRPC`, `Kafka`,
/// `JDBC`: they run either way). Words are split at anything that is not a
/// letter or a digit; case does not matter.
pub fn protocol_encryption(protocol: &str) -> Option<bool> {
    let lower = protocol.to_lowercase();
    let mut words = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty());
    let first = words.next()?;
    if ENCRYPTION_MARKERS.contains(&first)
        || words.any(|w| ENCRYPTION_MARKERS.contains(&w))
        || ENCRYPTED_PROTOCOLS.contains(&first)
    {
        return Some(true);
    }
    if PLAIN_PROTOCOLS.contains(&first) {
        return Some(false);
    }
    None
}

impl super::Flow {
    /// Whether the flow carries its data encrypted: `encrypted` when it is
    /// given; otherwise whether its protocol is one tmd knows to be
    /// encrypted ([`protocol_encryption`]: `HTTPS`, `PostgreSQL (TLS)`).
    pub fn is_encrypted(&self) -> bool {
        match self.encrypted {
            Some(given) => given,
            None => self.protocol.as_deref().and_then(protocol_encryption) == Some(true),
        }
    }
}
