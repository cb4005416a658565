# Fetches many URLs at once from this host, for the mirror's proof: GET of project pages (the
# body comes back) or HEAD of files (only the status: no file is downloaded). No proxy unless one
# is given, no redirects followed: each status is the server's own answer.
# stdin: {"method": "GET"|"HEAD", "urls": [...], "timeout": seconds, "proxy": url|null}
# stdout: one JSON line {"results": [{"url", "status", "error", "body"}], "bytes": n}
import concurrent.futures
import json
import sys
import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


request = json.load(sys.stdin)
method = request["method"]
proxy = request.get("proxy")
proxies = {"http": proxy, "https": proxy} if proxy else {}
opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies), NoRedirect)
headers = {"User-Agent": "pip-mirror-wizard", "Accept": "text/html"}


def fetch(url):
    out = {"url": url, "status": 0, "error": None, "body": "", "bytes": 0}
    try:
        req = urllib.request.Request(url, method=method, headers=headers)
        with opener.open(req, timeout=request["timeout"]) as response:
            out["status"] = response.status
            if method == "GET":
                body = response.read()
                out["bytes"] = len(body)
                out["body"] = body.decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        out["status"] = e.code
        out["error"] = "HTTP %d %s" % (e.code, e.reason)
    except Exception as e:  # noqa: BLE001 - refused, timed out, no route: no HTTP answer at all
        out["error"] = str(getattr(e, "reason", e)) or type(e).__name__
    return out


with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
    results = list(pool.map(fetch, request["urls"]))
print(json.dumps({"results": results, "bytes": sum(r["bytes"] for r in results)}))
