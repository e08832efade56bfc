"""Real article text wrapped the way the web serves it: news pages, RSS and Atom feeds, WARC archives.

The texts are the seed article (examples/) and official texts from tests/fixtures/primary-sample.jsonl;
the wrappers are built with the formats' own tools: feeds with ``xml.etree`` (RSS 2.0 with
``content:encoded``, Atom 1.0), archives with warcio's ``WARCWriter``.
"""

from __future__ import annotations

import html
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"
PRIMARY = REPO / "tests" / "fixtures" / "primary-sample.jsonl"

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_PARAGRAPHS = [p for p in SEED_TEXT.split("\n\n") if p.strip()]
SEED_BODY = "\n\n".join(SEED_PARAGRAPHS)
PRIMARY_RECORDS = [json.loads(line) for line in PRIMARY.read_text(encoding="utf-8").splitlines()]

SITE = "The Kyiv Ledger"
HEADLINE = "Zelenskyy signals he could cede occupied land for a ceasefire under NATO cover"
PAGE_URL = "https://kyivledger.example/world/2024/11/30/zelenskyy-ceasefire-territory"

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Story:
    """One article to publish: its paragraphs and metadata."""

    title: str
    url: str
    paragraphs: list[str]
    published: str | None = None  # RFC 3339
    summary: str | None = None

    @property
    def body(self) -> str:
        """The text Parley should read back: the paragraphs, one blank line between them."""
        return "\n\n".join(self.paragraphs)

    def fragment(self) -> str:
        """The article body as HTML paragraphs, as feeds carry it."""
        return "\n".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs)


SEED_STORY = Story(HEADLINE, PAGE_URL, SEED_PARAGRAPHS, "2024-11-30T08:15:00+00:00")


def primary_story(index: int) -> Story:
    """The official text on line ``index`` (from 0) of the primary sample, as a story."""
    record = PRIMARY_RECORDS[index]
    paragraphs = [p.strip() for p in record["text"].split("\n") if p.strip()]
    return Story(record["title"], record["url"], paragraphs, record["published"], record.get("summary"))


def news_page(
    story: Story = SEED_STORY, *, charset: str = "utf-8", dated: bool = True, site: str = SITE
) -> str:
    """Return a news page as sites serve it: head metadata, navigation, the article, related links, footer."""
    meta = [f'<meta charset="{charset}">', f'<meta property="og:site_name" content="{html.escape(site)}">']
    meta.append(f'<meta property="og:title" content="{html.escape(story.title)}">')
    if dated and story.published:
        meta.append(f'<meta property="article:published_time" content="{story.published}">')
    meta.append(f'<link rel="canonical" href="{html.escape(story.url)}">')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{chr(10).join(meta)}
<title>{html.escape(story.title)} | {html.escape(site)}</title>
</head>
<body>
<header>
  <a class="logo" href="/">{html.escape(site)}</a>
  <nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
  <li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main>
  <article>
    <h1>{html.escape(story.title)}</h1>
    <div class="byline">By Staff Reporter</div>
    <div class="article-body">
{story.fragment()}
    </div>
  </article>
  <aside class="related"><h3>Most read</h3><ul>
    <li><a href="/a">Markets rally as energy prices ease</a></li>
    <li><a href="/b">Five things to watch this week</a></li></ul></aside>
</main>
<footer><p>© 2024 {html.escape(site)}. All rights reserved.</p>
  <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body>
</html>
"""


def _rfc822(published: str) -> str:
    import datetime as dt
    import email.utils

    return email.utils.format_datetime(dt.datetime.fromisoformat(published))


@dataclass
class RssItem:
    """An RSS item: the story, and which of its parts the feed carries."""

    story: Story
    full_text: bool = True  # content:encoded with the article's HTML
    description: str | None = None  # <description> HTML; default: the story's summary
    embedded_page: bool = False  # content:encoded holds the whole news page
    extra: dict[str, str] = field(default_factory=dict)


def rss_feed(items: list[RssItem], title: str = SITE, link: str = "https://kyivledger.example/") -> bytes:
    """Return an RSS 2.0 feed (with the content module) of ``items``, built with xml.etree."""
    ET.register_namespace("content", CONTENT_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = f"Latest news from {title}"
    for item in items:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item.story.title
        ET.SubElement(node, "link").text = item.story.url
        ET.SubElement(node, "guid", {"isPermaLink": "true"}).text = item.story.url
        if item.story.published:
            ET.SubElement(node, "pubDate").text = _rfc822(item.story.published)
        description = item.description if item.description is not None else item.story.summary
        if description:
            ET.SubElement(node, "description").text = description
        if item.embedded_page:
            ET.SubElement(node, f"{{{CONTENT_NS}}}encoded").text = news_page(item.story)
        elif item.full_text:
            ET.SubElement(node, f"{{{CONTENT_NS}}}encoded").text = item.story.fragment()
        for name, value in item.extra.items():
            ET.SubElement(node, name).text = value
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        rss, encoding="utf-8", xml_declaration=False
    )


def atom_feed(stories: list[Story], title: str = SITE, xhtml: bool = False) -> bytes:
    """Return an Atom 1.0 feed of ``stories`` with their full text as HTML (or inline XHTML)."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = "urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6"
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = "2024-11-30T09:00:00Z"
    for story in stories:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = story.title
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"href": story.url, "rel": "alternate"})
        ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = story.url
        if story.published:
            ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = story.published
            ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = story.published
        if xhtml:
            content = ET.SubElement(entry, f"{{{ATOM_NS}}}content", {"type": "xhtml"})
            div = ET.SubElement(content, "{http://www.w3.org/1999/xhtml}div")
            for paragraph in story.paragraphs:
                ET.SubElement(div, "{http://www.w3.org/1999/xhtml}p").text = paragraph
        else:
            ET.SubElement(entry, f"{{{ATOM_NS}}}content", {"type": "html"}).text = story.fragment()
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="utf-8", xml_declaration=False
    )


@dataclass(frozen=True)
class Capture:
    """One HTTP exchange to archive: the URL, the status, the Content-Type and the body."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    date: str = "2024-12-02T10:30:00Z"


def warc_archive(captures: list[Capture], gzip: bool = True) -> bytes:
    """Return a WARC of ``captures`` as a crawler writes one: warcinfo, then a request and a response each."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "parley-tests"}))
    for capture in captures:
        request = StatusAndHeaders(
            f"GET {capture.url} HTTP/1.1", [("Host", "kyivledger.example")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                capture.url, "request", http_headers=request, warc_headers_dict={"WARC-Date": capture.date}
            )
        )
        headers = StatusAndHeaders(
            capture.status,
            [("Content-Type", capture.content_type), ("Content-Length", str(len(capture.body)))],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                capture.url,
                "response",
                payload=io.BytesIO(capture.body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": capture.date},
            )
        )
    return buffer.getvalue()
