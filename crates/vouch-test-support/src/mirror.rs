//! A loopback stand-in for osv.dev's export bucket, for tests of downloads: it serves archives
//! by path with an ETag and a Last-Modified date, answers conditional requests with 304, can be
//! told to fail, and records every request.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// The Last-Modified date every answer carries.
pub const LAST_MODIFIED: &str = "Wed, 21 Oct 2026 07:28:00 GMT";

/// What the mirror serves; change it between requests with [`Mirror::update`].
#[derive(Debug, Default)]
pub struct Contents {
    /// Bodies by request path (`/Go/all.zip`); other paths get 404.
    pub archives: BTreeMap<String, Vec<u8>>,
    pub etag: String,
    /// Answer every request with 500.
    pub fail: bool,
}

/// One request the mirror answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub status: u16,
    pub body_bytes: usize,
}

#[derive(Debug, Default)]
struct State {
    contents: Contents,
    requests: Vec<Request>,
}

/// A running mirror on 127.0.0.1; its thread lives as long as the test process.
#[derive(Debug)]
pub struct Mirror {
    base_url: String,
    state: Arc<Mutex<State>>,
}

impl Mirror {
    pub fn start(contents: Contents) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(Mutex::new(State {
            contents,
            requests: Vec::new(),
        }));
        let serving = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // A client that hangs up early is its own business.
                let _ = answer(stream, &serving);
            }
        });
        Ok(Self { base_url, state })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.lock().requests.clone()
    }

    pub fn update(&self, change: impl FnOnce(&mut Contents)) {
        change(&mut self.lock().contents);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking test thread poisons nothing this mirror cares about.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn answer(mut stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let path = request_line
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let (mut if_none_match, mut if_modified_since) = (None, None);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "if-none-match" => if_none_match = Some(value.trim().to_owned()),
                "if-modified-since" => if_modified_since = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    let contents = &state.contents;
    let (status, reason, body): (u16, &str, &[u8]) = if contents.fail {
        (500, "Internal Server Error", b"internal error")
    } else if let Some(archive) = contents.archives.get(&path) {
        if if_none_match.as_deref() == Some(contents.etag.as_str()) {
            (304, "Not Modified", b"")
        } else {
            (200, "OK", archive)
        }
    } else {
        (404, "Not Found", b"")
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nETag: {}\r\nLast-Modified: {LAST_MODIFIED}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        contents.etag,
        body.len()
    )?;
    stream.write_all(body)?;
    let body_bytes = body.len();
    state.requests.push(Request {
        path,
        if_none_match,
        if_modified_since,
        status,
        body_bytes,
    });
    Ok(())
}
