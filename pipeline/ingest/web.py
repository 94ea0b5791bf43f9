"""The raw documents of a web source (urls, feed, sitemap): discover its pages, reuse the
ones already in the blob store, fetch the others, and record every fetch for fetch_log.

Every page discovered becomes a RawDocument: fetched pages point at their blob, failed
ones carry the outcome (they become `rejected` rows at stage 'fetch' and are tried again
next run). Feeds and sitemaps show a moving window of a site, so pages an earlier run
found for this source stay in it (from fetch_log) after they drop off the listing.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace

from pipeline.fetch import BlobStore, FetchHistory, FetchOptions, FetchRecord, HttpClient
from pipeline.fetch.client import utcnow
from pipeline.fetch.discovery import discover
from pipeline.fetch.listing import Listed, ListingFilter, unique
from pipeline.ingest.documents import RawDocument
from pipeline.sources_file import SourceSpec


@dataclass
class WebInputs:
    documents: list[RawDocument]
    log: list[FetchRecord]  # the source's fetch_log rows: this run's, then older untouched ones
    listing_failures: list[FetchRecord]


def _page_record(source: str, item: Listed, http: HttpClient, history: FetchHistory, blobs: BlobStore,
                 refresh: bool, now) -> FetchRecord:
    previous = None if refresh else history.stored(item.url)
    if previous is not None and blobs.has(previous.content_hash):
        return replace(previous, source=source, kind="page", outcome="cached", error=None,
                       listed_date=item.published or previous.listed_date, logged_at=now)
    result = http.fetch_page(item.url)
    content_hash = blobs.put(result.body) if result.ok else None
    return FetchRecord.from_result(source, "page", result, item.published, content_hash, now)


def _document(record: FetchRecord) -> RawDocument:
    if record.stored:
        return RawDocument(record.source, record.final_url or record.url, record.content_hash, record.bytes,
                           fetch_outcome=record.outcome, charset=record.charset)
    return RawDocument(record.source, record.url, None, 0, read_error=record.error or record.outcome,
                       fetch_outcome=record.outcome)


def _candidates(spec: SourceSpec, found: list[Listed], previous: dict[str, FetchRecord],
                window: ListingFilter) -> list[Listed]:
    items = list(found)
    if spec.kind != "urls":  # a url list is explicit: what it no longer names is not an input
        items += [Listed(url, rec.listed_date) for url, rec in previous.items() if rec.kind == "page"]
    return window.apply(unique(items))


def list_web_documents(spec: SourceSpec, history: FetchHistory, blobs: BlobStore,
                       http: HttpClient | None = None) -> WebInputs:
    options = FetchOptions.from_options(spec.options)
    window = ListingFilter.from_options(spec.options)
    now = utcnow()
    previous = history.of_source(spec.name)
    with nullcontext(http) if http is not None else HttpClient(options) as client:
        found = discover(spec.kind, spec.url, spec.urls, window, client)
        log = [FetchRecord.from_result(spec.name, kind, result, None, None, now) for kind, result in found.fetches]
        for item in _candidates(spec, found.items, previous, window):
            log.append(_page_record(spec.name, item, client, history, blobs, options.refresh, now))
    documents: dict[str, RawDocument] = {}
    for record in log:
        if record.kind == "page":
            # Two listed URLs redirecting to one page are one input (raw_articles is keyed by URI).
            documents.setdefault(_document(record).uri, _document(record))
    touched = {record.url for record in log}
    log += [record for url, record in previous.items() if url not in touched]
    failures = [r for r in log[: len(found.fetches)] if r.outcome != "fetched"]
    return WebInputs(list(documents.values()), log, failures)
