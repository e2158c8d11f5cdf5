#!/usr/bin/env python3
"""A stand-in for `sextant lsp` to test the Neovim plugin without the real server.

Speaks LSP over stdio (Content-Length framing, JSON-RPC 2.0), standard library only:
answers `initialize`, publishes one diagnostic (source "sextant", code "K000") for each
`textDocument/didOpen`, answers `shutdown`, exits on `exit` or end of input. Every message it
receives is appended as one JSON line to the file named by SEXTANT_FAKE_LOG, when set, so that a
test can check what the client sent (initializationOptions, settings, which files were opened).
"""
import json
import os
import sys


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    if length is None:
        return None
    body = stream.read(length)
    if len(body) < length:
        return None
    return json.loads(body)


def write_message(stream, message):
    body = json.dumps(message).encode("utf-8")
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body))
    stream.write(body)
    stream.flush()


def log(message):
    path = os.environ.get("SEXTANT_FAKE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps({"pid": os.getpid(), **message}) + "\n")


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        message = read_message(stdin)
        if message is None:
            return 0
        log(message)
        method = message.get("method")
        if "id" in message and method is not None:
            if method == "initialize":
                result = {
                    "capabilities": {"textDocumentSync": {"openClose": True, "change": 1}},
                    "serverInfo": {"name": "sextant (fake)", "version": "0.0.0"},
                }
                write_message(stdout, {"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif method == "shutdown":
                write_message(stdout, {"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                error = {"code": -32601, "message": "method not found: %s" % method}
                write_message(stdout, {"jsonrpc": "2.0", "id": message["id"], "error": error})
        elif method == "textDocument/didOpen":
            document = message["params"]["textDocument"]
            diagnostic = {
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
                "severity": 1,
                "source": "sextant",
                "code": "K000",
                "message": "fake diagnostic for %s" % document["uri"].rsplit("/", 1)[-1],
            }
            params = {"uri": document["uri"], "version": document.get("version"), "diagnostics": [diagnostic]}
            write_message(stdout, {"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params})
        elif method == "exit":
            return 0


if __name__ == "__main__":
    sys.exit(main())
