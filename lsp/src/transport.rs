//! A guard in front of the protocol library's reader: stdin is re-framed here and only
//! well-formed JSON messages are passed on. tower-lsp-server stops reading for good after one
//! undecodable message (its framed reader ends on the first error), so a single garbled
//! message from a client would take the server down; here it is reported on stderr and
//! skipped.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// What the start of a buffer holds.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    /// Not enough bytes yet.
    Incomplete,
    /// Bytes to drop: no `Content-Length` header before them.
    Garbage(usize),
    /// A message: its body's range, and the length of the whole frame.
    Message {
        body: std::ops::Range<usize>,
        len: usize,
    },
}

/// Largest message accepted (a bigger Content-Length is garbage, not an allocation).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

fn frame(buf: &[u8]) -> Frame {
    let Some(end) = find(buf, b"\r\n\r\n") else {
        // a header block cannot be this long: skip to the next plausible header
        if buf.len() > 8192 {
            return Frame::Garbage(next_header(buf, 1));
        }
        return Frame::Incomplete;
    };
    let headers = String::from_utf8_lossy(&buf[..end]);
    let length = headers.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    match length {
        Some(n) if n <= MAX_MESSAGE => {
            let start = end + 4;
            if buf.len() < start + n {
                Frame::Incomplete
            } else {
                Frame::Message {
                    body: start..start + n,
                    len: start + n,
                }
            }
        }
        _ => Frame::Garbage(next_header(buf, end + 4)),
    }
}

/// Where the next `Content-Length` starts at or after `from` (or the end of the buffer).
fn next_header(buf: &[u8], from: usize) -> usize {
    let from = from.min(buf.len());
    find(&buf[from..], b"Content-Length").map_or(buf.len(), |i| from + i)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Copies well-formed messages from `input` to `output` until `input` ends.
pub async fn filter(mut input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        loop {
            match frame(&buf) {
                Frame::Incomplete => break,
                Frame::Garbage(n) => {
                    eprintln!("sextant lsp: skipped {n} bytes that are not a protocol message");
                    buf.drain(..n);
                }
                Frame::Message { body, len } => {
                    let ok =
                        serde_json::from_slice::<serde::de::IgnoredAny>(&buf[body.clone()]).is_ok();
                    if ok {
                        let header = format!("Content-Length: {}\r\n\r\n", body.len());
                        let written = async {
                            output.write_all(header.as_bytes()).await?;
                            output.write_all(&buf[body]).await?;
                            output.flush().await
                        };
                        if written.await.is_err() {
                            return;
                        }
                    } else {
                        eprintln!("sextant lsp: skipped a message that is not valid JSON");
                    }
                    buf.drain(..len);
                }
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn frames() {
        assert_eq!(frame(b"Content-Len"), Frame::Incomplete);
        assert_eq!(frame(b"Content-Length: 5\r\n\r\n{}"), Frame::Incomplete);
        assert_eq!(
            frame(&msg("{}")),
            Frame::Message {
                body: 21..23,
                len: 23
            }
        );
        assert_eq!(
            frame(b"X-Other: 1\r\n\r\nContent-Length: 2\r\n\r\n{}"),
            Frame::Garbage(14)
        );
        assert_eq!(frame(b"Content-Length: x\r\n\r\n"), Frame::Garbage(21));
    }

    #[tokio::test]
    async fn passes_json_and_drops_the_rest() {
        let mut input = msg(r#"{"a":1}"#);
        input.extend(msg("{oops}}"));
        input.extend(b"garbage\r\n\r\n");
        input.extend(msg(r#"{"b":2}"#));
        let mut out = Vec::new();
        filter(&input[..], &mut out).await;
        let mut expected = msg(r#"{"a":1}"#);
        expected.extend(msg(r#"{"b":2}"#));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
