//! A local HTTP/1.1 server for tests that stand in for GitHub or a release host: it reads each
//! request whole (request line, headers, body), asks the test's handler for the answer, and
//! writes it back with `connection: close`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The request target, with its query.
    pub path: String,
    /// The `Authorization` header, if the request had one.
    pub authorization: Option<String>,
    pub body: Vec<u8>,
}

/// The handler's answer.
pub struct Response {
    /// 0 closes the connection without answering, as when it drops.
    pub status: u16,
    /// Extra header lines, each `name: value`.
    pub headers: Vec<String>,
    pub body: Vec<u8>,
}

impl Response {
    /// An answer with `body` and no extra headers.
    #[must_use]
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: Vec::new(), body: body.into() }
    }

    /// Adds the header `name: value`.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push(format!("{name}: {value}"));
        self
    }
}

/// Whether `authorization` carries `token`: GitHub takes it as `Bearer <token>` (what octocrab
/// sends) or as the older `token <token>`.
#[must_use]
pub fn authorized(authorization: Option<&str>, token: &str) -> bool {
    authorization.and_then(|value| value.split_once(' ')).is_some_and(|(scheme, given)| {
        (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token")) && given.trim() == token
    })
}

/// Starts a server on a free local port answering every request with `handler`; returns its
/// `http://host:port` address. The server lives as long as the test process.
pub fn serve(handler: impl Fn(&Request) -> Response + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(request) = read_request(&mut BufReader::new(stream.try_clone().expect("a stream"))) else {
                continue;
            };
            let answer = handler(&request);
            // Status 0: the connection drops without an answer.
            if answer.status == 0 {
                drop(stream);
                continue;
            }
            let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
            for header in &answer.headers {
                head.push_str(header);
                head.push_str("\r\n");
            }
            let _ = write!(head, "content-length: {}\r\nconnection: close\r\n\r\n", answer.body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&answer.body);
        }
    });
    url
}

/// Reads one request, or `None` when the client closed the connection before sending one.
fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
    let mut length = 0;
    let mut authorization = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("authorization") {
                authorization = Some(value.trim().to_owned());
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, authorization, body })
}

/// The reason phrase of `status` (clients read the code; the phrase is for people reading a log).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        _ if status < 300 => "OK",
        _ => "Error",
    }
}
