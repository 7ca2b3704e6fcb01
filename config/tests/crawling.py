"""A crawler for the tests that check every page of the demo: it follows the same-site links a
member of the cast sees, from a start page, and keeps every response."""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

# Links a crawler must not follow: they change state on GET or leave the session.
SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/media/")
MAX_PAGES_PER_USER = 120
# Pages of one view a crawler visits (three actions, three cities...): the budget goes to views.
PAGES_PER_VIEW = 3


class PageParser(HTMLParser):
    """Collects the links of a page and any inline script, inline style or event handler."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.inline = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "style":
            self.inline.append("<style> element")
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self._in_script = True
        for name in attributes:
            if name == "style":
                self.inline.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.inline.append(f"{name} handler on <{tag}>")
        if attributes.get("href", "").startswith("javascript:"):
            self.inline.append("javascript: link")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("inline <script>")


def html_of(response):
    """The text of a page, a file's (a stored report's HTML) included."""
    if not hasattr(response, "html"):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.html = body.decode()
    return response.html


def view_of(link):
    try:
        return resolve(urlsplit(link).path).view_name
    except Resolver404:
        return link


def crawl(client, *starts, stay_under="", most=MAX_PAGES_PER_USER):
    """Visit the same-site pages reachable from `starts`, breadth first: at most PAGES_PER_VIEW
    of one view, `most` in all."""
    seen, queue, pages = set(starts), deque(starts), {}
    per_view = Counter(view_of(start) for start in starts)
    while queue and len(pages) < most:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code == 302:
            links = [response["Location"]]
        elif response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        else:
            parser = PageParser()
            parser.feed(html_of(response))
            links = parser.links
        for href in links:
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if link.startswith(SKIP_PREFIXES) or not link.startswith(stay_under) or link in seen:
                continue
            seen.add(link)
            view = view_of(link)
            if per_view[view] >= PAGES_PER_VIEW:
                continue
            per_view[view] += 1
            queue.append(link)
    return pages
