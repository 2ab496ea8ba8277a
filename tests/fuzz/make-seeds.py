#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpora in corpus/<fuzzer>/: a few well-formed inputs of each kind, and a few
near misses, for libFuzzer to start from. Run again after changing it; the files are committed
so that a fuzz run needs nothing but the tree."""

import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
P = "8a1c4a52-1f0e-4b8e-9d6f-2c1a0e7b3d44"
T = "0b7e4a0c-5a6b-4c1d-8e2f-3a4b5c6d7e8f"
U = "6e3a9c2f-0d1e-4f2a-9b3c-4d5e6f708192"
M = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
CODE = "q3Zx0_Lk-9aPb2Rt7Yw1Ue"
KEY = "dGhlIHNhbXBsZSBub25jZQ=="


def write(fuzzer, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, "corpus", fuzzer, name), "wb") as f:
        f.write(data)


def client_frame(opcode, payload, fin=True, mask=b"\x12\x34\x56\x78", rsv=0):
    head = bytes([(0x80 if fin else 0) | rsv | opcode])
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n <= 0xFFFF:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if not mask:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def wsframe():
    # The first byte says how the rest arrives (see fuzz_wsframe.cpp): 0 all at once, n in pieces of n.
    text = client_frame(0x1, '{"type":"party.list","id":2}'.encode())
    write("fuzz_wsframe", "text", b"\x00" + text)
    write("fuzz_wsframe", "text-bytewise", b"\x01" + text)
    write("fuzz_wsframe", "fragmented", b"\x03" + client_frame(0x1, "héllo ".encode(), fin=False)
          + client_frame(0x9, b"ping") + client_frame(0x0, "wörld 🎉".encode()))
    write("fuzz_wsframe", "binary-16bit-length", b"\x00" + client_frame(0x2, bytes(range(256)) * 1))
    write("fuzz_wsframe", "too-big-64bit-length", b"\x00" + client_frame(0x2, b"x" * 70000))
    write("fuzz_wsframe", "close-with-reason", b"\x00" + client_frame(0x8, struct.pack(">H", 1000) + "bye ✓".encode()))
    write("fuzz_wsframe", "close-bad-code", b"\x00" + client_frame(0x8, struct.pack(">H", 1005)))
    write("fuzz_wsframe", "pong", b"\x07" + client_frame(0xA, b"abc"))
    write("fuzz_wsframe", "unmasked", b"\x00" + client_frame(0x1, b"hi", mask=None))
    write("fuzz_wsframe", "reserved-bit", b"\x00" + client_frame(0x1, b"hi", rsv=0x40))
    write("fuzz_wsframe", "bad-utf8", b"\x00" + client_frame(0x1, b"\xed\xa0\x80\xc0\xaf"))
    write("fuzz_wsframe", "utf8-split-across-fragments", b"\x02" + client_frame(0x1, "€".encode()[:2], fin=False)
          + client_frame(0x0, "€".encode()[2:]))


def upgrade_head(extra="", version="13", key=KEY, request_line="GET /ws HTTP/1.1"):
    lines = [request_line, "Host: chat.example.org", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", f"Sec-WebSocket-Version: {version}"]
    if extra:
        lines.append(extra)
    return "\r\n".join(lines) + "\r\n\r\n"


def upgrade():
    write("fuzz_upgrade", "upgrade", upgrade_head("Authorization: Bearer eyJhbGciOiJFZERTQSJ9.e30.c2ln"))
    write("fuzz_upgrade", "upgrade-then-frame", upgrade_head() + "\x81\x82\x12\x34\x56\x78zz")
    write("fuzz_upgrade", "two-authorization", upgrade_head("Authorization: Bearer a\r\nauthorization: bearer b"))
    write("fuzz_upgrade", "version-8", upgrade_head(version="8"))
    write("fuzz_upgrade", "short-key", upgrade_head(key="c2hvcnQ="))
    write("fuzz_upgrade", "connection-list", upgrade_head().replace("Connection: Upgrade", "Connection: keep-alive, Upgrade"))
    write("fuzz_upgrade", "post", upgrade_head(request_line="POST /ws HTTP/1.1"))
    write("fuzz_upgrade", "unfinished", upgrade_head()[:-2])


def http():
    write("fuzz_httprequest", "get-healthz", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
    write("fuzz_httprequest", "discovery-pipelined", "GET /.well-known/chatterbox HTTP/1.1\r\nHost: a\r\n\r\n"
          "HEAD /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    form = ("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&client_id=chatterbox"
            "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2Fcb")
    write("fuzz_httprequest", "token-form", "POST /oauth/token HTTP/1.1\r\nHost: a\r\n"
          "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
          f"Content-Length: {len(form)}\r\n\r\n{form}")
    write("fuzz_httprequest", "authorize-query", "GET /oauth/authorize?response_type=code&client_id=chatterbox"
          "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2Fcb&state=xyz&code_challenge=E9Melhoa&code_challenge_method=S256"
          "&provider=dev HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n\r\n")
    write("fuzz_httprequest", "dev-json", 'POST /auth/dev HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n'
          'Content-Length: 16\r\n\r\n{"name":"Alice"}')
    write("fuzz_httprequest", "chunked", "POST /oauth/token HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    write("fuzz_httprequest", "two-lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
    write("fuzz_httprequest", "folded", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n")
    write("fuzz_httprequest", "http10-percent", "GET /invite/%71%33Zx%2F..%00 HTTP/1.0\r\n\r\n")
    write("fuzz_httprequest", "bare-lf", "GET / HTTP/1.1\nHost: a\n\n")
    write("fuzz_httprequest", "version-2", "GET / HTTP/2.0\r\nHost: a\r\n\r\n")


def protocol():
    requests = [
        {"type": "hello", "id": 1, "protocol": 1, "features": ["message.sync", "message.edit"]},
        {"type": "party.list", "id": 2},
        {"type": "party.create", "id": 3, "name": "Book club 📚"},
        {"type": "party.rename", "id": 4, "partyId": P, "name": "  Readers\u202e  "},
        {"type": "party.transfer", "id": 7, "partyId": P, "userId": U},
        {"type": "member.setRole", "id": 8, "partyId": P, "userId": U, "role": "admin"},
        {"type": "topic.create", "id": 10, "partyId": P, "name": "chapter-1"},
        {"type": "topic.reorder", "id": 13, "partyId": P, "topicIds": [T, "1a2b3c4d-0000-4000-8000-000000000000"]},
        {"type": "message.send", "id": 14, "topicId": T, "clientMsgId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
         "body": "Hello @Ann, **bold** and `code` ✓"},
        {"type": "message.edit", "id": 15, "messageId": M, "body": "Hello again"},
        {"type": "message.history", "id": 17, "topicId": T, "beforeSeq": 120, "limit": 50},
        {"type": "message.sync", "id": 18, "topics": [{"topicId": T, "afterSeq": 41, "afterRev": 97}]},
        {"type": "invite.create", "id": 21, "partyId": P, "expiresInSeconds": 86400, "maxUses": 10},
        {"type": "invite.join", "id": 26, "code": CODE},
        {"type": "presence.set", "id": 27, "status": "idle"},
        {"type": "topic.markRead", "id": 29, "topicId": T, "seq": 42},
        {"type": "profile.update", "id": 30, "displayName": "Alice B.", "avatarUrl": "https://example.org/a.png"},
        {"type": "session.renew", "id": 31, "accessToken": "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln"},
    ]
    for r in requests:
        write("fuzz_protocol", "request-" + r["type"], json.dumps(r, ensure_ascii=False, separators=(",", ":")))
    message = {"id": M, "topicId": T, "partyId": P, "seq": 42, "rev": 97, "authorId": U,
               "clientMsgId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "body": "hi @Ann", "createdAt": 1764590000000,
               "editedAt": None, "deleted": False, "mentions": [U]}
    member = {"userId": U, "displayName": "Ann", "avatarUrl": "", "role": "member", "joinedAt": 1764590000000}
    events = [
        ("message.created", {"message": message}),
        ("member.joined", {"partyId": P, "member": member}),
        ("member.left", {"partyId": P, "userId": U, "reason": "kicked"}),
        ("topic.reordered", {"partyId": P, "topicIds": [T]}),
        ("presence.updated", {"userId": U, "status": "online"}),
        ("party.joined", {"party": {"id": P, "name": "Book club", "ownerId": U, "createdAt": 1,
                                    "topics": [{"id": T, "partyId": P, "name": "general", "position": 0,
                                                "lastSeq": 3, "lastRev": 5}], "members": [member]}}),
    ]
    for name, data in events:
        write("fuzz_protocol", "event-" + name, json.dumps({"type": "event", "event": name, "data": data},
                                                           ensure_ascii=False, separators=(",", ":")))
    write("fuzz_protocol", "result", '{"type":"result","id":2,"result":{"parties":[]}}')
    write("fuzz_protocol", "error", '{"type":"error","id":null,"code":"bad_frame","message":"frame is not valid JSON"}')
    write("fuzz_protocol", "not-json", '{"type":"party.list","id":2')
    write("fuzz_protocol", "huge-id", '{"type":"party.list","id":18446744073709551616}')
    write("fuzz_protocol", "escaped-surrogates", '{"type":"party.create","id":3,"name":"\\ud83d\\ude00\\u0000"}')


def invitelink():
    links = {
        "page": f"https://chat.example.org/invite/{CODE}",
        "page-port-path": f"http://127.0.0.1:8080/chat/invite/{CODE}",
        "app": f"chatterbox://invite?server=https%3A%2F%2Fchat.example.org&code={CODE}",
        "app-path-form": f"chatterbox:invite?server=http://[::1]:8080&code={CODE}",
        "spaces": f"  https://chat.example.org/invite/{CODE}\n",
        "userinfo": f"https://evil@chat.example.org/invite/{CODE}",
        "dotdot": f"https://chat.example.org/a/%2e%2e/invite/{CODE}",
        "fragment": f"https://chat.example.org/invite/{CODE}#x",
        "short-code": "https://chat.example.org/invite/abc",
        "file": f"file:///etc/invite/{CODE}",
        "idn": f"https://bücher.example/invite/{CODE}",
    }
    for name, text in links.items():
        write("fuzz_invitelink", name, text)


def markdown():
    bodies = {
        "plain": "see you at 8",
        "emphasis": "**bold** _italic_ ~~gone~~ `code` and a [link](https://example.org)",
        "code-block": "```\nint main() { return 0; }\n```\nafter",
        "quote": "> quoted\n>> deeper\nand back",
        "lists": "- one\n- two\n  1. nested\n  2. more\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "image": "![cat](https://example.org/cat.png) and ![ref][r]\n\n[r]: https://example.org/r.png",
        "escaped-image": "\\![cat](https://example.org/cat.png)",
        "html": "<img src=x onerror=alert(1)><b>bold?</b><script>x</script>",
        "mentions": "@Ann and @Anne and @Zoë Ω, @a.b.c",
        "emoji": "🎉👍🏽👨‍👩‍👧 ✓ ☃ 1️⃣",
        "autolink": "www.example.org <https://example.org/x> mailto:a@example.org file:///etc/passwd",
        "bidi": "\u202eevil\u202c \u2066isolated\u2069",
    }
    for name, text in bodies.items():
        write("fuzz_markdown", name, text)


for fuzzer in ("fuzz_wsframe", "fuzz_upgrade", "fuzz_httprequest", "fuzz_protocol", "fuzz_invitelink", "fuzz_markdown"):
    shutil.rmtree(os.path.join(HERE, "corpus", fuzzer), ignore_errors=True)
    os.makedirs(os.path.join(HERE, "corpus", fuzzer))
wsframe()
upgrade()
http()
protocol()
invitelink()
markdown()
