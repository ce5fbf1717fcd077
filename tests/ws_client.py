"""A minimal Streamlit websocket client (the browser's protocol: BackMsg / ForwardMsg on /_stcore/stream), for
tests that act as a hostile client: open a session, send "clear cache", upload to the endpoint directly."""

from __future__ import annotations

import asyncio
import http.cookiejar
import ssl
import threading
import urllib.error
import urllib.request
import uuid


def _run(coro) -> object:
    """Run a coroutine on a thread of its own (Playwright's sync API keeps an event loop on the test's thread)."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised on the caller's thread
            out["error"] = exc

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def _ssl() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    return ctx


async def _open(url: str, clear_cache: bool = False) -> str:
    """Open a session like a page load (a rerun), optionally send "clear cache"; return the session id."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = url.replace("https://", "wss://").replace("http://", "ws://") + "/_stcore/stream"
    extra = {"ssl": _ssl()} if ws_url.startswith("wss") else {}
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30, **extra) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        await ws.send(msg.SerializeToString())
        session_id = ""
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                session_id = fwd.new_session.initialize.session_id
            elif kind == "script_finished":
                break
        if clear_cache:
            msg = BackMsg()
            msg.clear_cache = True
            await ws.send(msg.SerializeToString())
            await asyncio.sleep(1.0)
        return session_id


def clear_cache(url: str) -> None:
    """What any client may send: Streamlit's "clear cache" message (empties st.cache_data and cache_resource)."""
    _run(_open(url, clear_cache=True))


def upload_before_login(url: str, size: int) -> int:
    """Open a session (not signed in) and PUT a file of ``size`` bytes to Streamlit's upload endpoint with a valid
    XSRF token, keeping the websocket open meanwhile; the HTTP status."""

    async def run() -> int:
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), urllib.request.HTTPSHandler(context=_ssl())
        )
        opener.open(url + "/_stcore/health", timeout=30).read()  # sets the XSRF cookie, as for the browser
        xsrf = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")
        ws_url = url.replace("https://", "wss://").replace("http://", "ws://") + "/_stcore/stream"
        extra = {"ssl": _ssl()} if ws_url.startswith("wss") else {}
        # Every cookie the server set, as a browser sends them (behind nginx, its routing cookie keeps the
        # websocket and the upload on one app process).
        headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar), "Origin": url}
        async with websockets.connect(
            ws_url,
            subprotocols=["streamlit", xsrf],
            additional_headers=headers,
            max_size=None,
            open_timeout=30,
            **extra,
        ) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            await ws.send(msg.SerializeToString())
            session_id, finished = "", False
            while not finished:  # the page has been drawn (the login page): what a browser shows first
                fwd = ForwardMsg()
                fwd.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
                if fwd.WhichOneof("type") == "new_session":
                    session_id = fwd.new_session.initialize.session_id
                finished = fwd.WhichOneof("type") == "script_finished"
            boundary = uuid.uuid4().hex
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n"
                ).encode()
                + b"x" * size
                + f"\r\n--{boundary}--\r\n".encode()
            )
            req = urllib.request.Request(
                f"{url}/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
                data=body,
                method="PUT",
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf},
            )

            def put() -> int:
                try:
                    with opener.open(req, timeout=60) as r:
                        return r.status
                except urllib.error.HTTPError as exc:
                    return exc.code
                except (urllib.error.URLError, ConnectionError):  # the server cut the body off (over the cap)
                    return 413

            return await asyncio.get_running_loop().run_in_executor(None, put)

    return _run(run())  # type: ignore[return-value]
