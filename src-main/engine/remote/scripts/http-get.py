# GETs URLs from a host itself (its own view of the network: a private or loopback listen address
# works), all in one command. No proxy: a mirror is asked directly, as pip in a sandbox would.
# Redirects are not followed, so each status is the server's own answer.
# argv: max body characters to return, timeout in seconds, then the URLs.
# Prints one JSON list, one result per URL (http-get.ts has its schema).
import json
import sys
import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
limit, timeout = int(sys.argv[1]), float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
results = []
for url in sys.argv[3:]:
    out = {"url": url, "status": 0, "reason": "", "contentType": "", "bytes": 0, "body": "", "error": None}
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "pip-mirror-wizard"})
        with opener.open(request, timeout=timeout) as r:
            body = r.read()
            out.update(status=r.status, reason=r.reason, contentType=r.headers.get("Content-Type", ""), bytes=len(body), body=body[:limit].decode("utf-8", "replace"))
    except urllib.error.HTTPError as e:
        out.update(status=e.code, reason=str(e.reason), contentType=e.headers.get("Content-Type", ""))
    except Exception as e:  # noqa: BLE001 - reported as this URL's error
        out.update(error=str(getattr(e, "reason", e)) or type(e).__name__)
    results.append(out)
print(json.dumps(results))
