"""Dagster side of the analysts' corrections (the domain logic is pipeline/corrections/):
the corrections file as an observable source asset, and the step of the incidents asset
that applies it, keeping the last good set in force when the file cannot be used."""

import hashlib
import warnings

import pandas as pd
from dagster import AssetSpec, BetaWarning, DataVersion, MetadataValue, ObserveResult, multi_observable_source_asset

from assets.resources import CorrectionsResource
from pipeline.corrections import CorrectedRecord, correct_and_merge
from pipeline.corrections.corrections_file import LoadedCorrections
from pipeline.stages.common import utc_now
from pipeline.storage import Warehouse

_LAST_GOOD = "SELECT text FROM corrections_in_force ORDER BY loaded_at DESC LIMIT 1"
# Only the articles the corrections name are read with their text (URI, or its trailing path).
_ARTICLES_NAMED = """
SELECT DISTINCT a.article_id, a.source, a.uri, a.published, a.text, a.text_hash
FROM articles a JOIN (SELECT unnest(?::VARCHAR[]) AS key) k
  ON a.uri = k.key OR ends_with(a.uri, '/' || ltrim(k.key, '/'))
"""
_ARTICLE_COLUMNS = ["article_id", "source", "uri", "published", "text", "text_hash"]
_NEAR_MISSES_OF = "SELECT * FROM near_misses WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"


with warnings.catch_warnings():  # observable source assets are "beta" in Dagster 1.13: not a warning per CLI call
    warnings.simplefilter("ignore", BetaWarning)

    # An AssetsDefinition (unlike @observable_source_asset's SourceAsset), like every other asset.
    @multi_observable_source_asset(
        specs=[AssetSpec(
            "corrections_file",
            group_name="incidents",
            description="The analysts' corrections file (data/corrections.yaml, or $DEMARCHE_CORRECTIONS): "
            "rejections, fixes, additions, merges and splits applied by the incidents asset on every run. "
            "Its data version is the file's sha256; editing it rebuilds incidents and marts only.",
        )],
        name="corrections_file",
        required_resource_keys={"corrections"},
    )
    def corrections_file(context):
        corrections: CorrectionsResource = context.resources.corrections
        yield ObserveResult(asset_key="corrections_file", data_version=DataVersion(corrections.sha256()),
                            metadata={"path": MetadataValue.path(corrections.path)})


def apply_corrections(store: Warehouse, mentions: pd.DataFrame,
                      corrections: CorrectionsResource) -> tuple[CorrectedRecord, LoadedCorrections]:
    """The corrected record of these mentions, and which corrections were in force."""
    last_good = store.query_df(_LAST_GOOD)
    loaded = corrections.load(None if last_good.empty else last_good["text"].iloc[0])
    keys = sorted({c.anchor.article for c in loaded.corrections} | {c.into.article for c in loaded.corrections if c.into})
    articles = store.query_df(_ARTICLES_NAMED, [keys]) if keys else pd.DataFrame(columns=_ARTICLE_COLUMNS)
    near_misses = store.query_df(_NEAR_MISSES_OF, [list(articles["article_id"])]) if len(articles) else None
    return correct_and_merge(mentions, articles, loaded.corrections, near_misses), loaded


def corrections_tables(record: CorrectedRecord, loaded: LoadedCorrections, path: str) -> dict[str, pd.DataFrame]:
    """The warehouse tables the corrections write besides incidents and incident_members."""
    text = loaded.text
    in_force = pd.DataFrame([{
        "path": path, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if text else "none",
        "text": text, "n_corrections": len(loaded.corrections), "loaded_at": utc_now(),
        "file_sha256": loaded.file_sha256, "file_error": loaded.error,
    }])
    return {"corrected_mentions": record.mentions, "corrections_applied": record.applied,
            "corrections_unmatched": record.unmatched, "corrections_in_force": in_force}


def corrections_metadata(record: CorrectedRecord, loaded: LoadedCorrections) -> dict:
    """What the incidents page shows of the corrections."""
    applied = record.applied
    return {
        "corrected_rows": record.corrected_rows,
        "corrected_incidents": int(record.incidents["correction_ids"].map(len).gt(0).sum()),
        "rejected_mentions": int((applied["change"] == "rejected").sum()),
        "added_mentions": int((applied["action"] == "add").sum()),
        "corrections_in_force": len(loaded.corrections),
        "corrections_unmatched": len(record.unmatched),
        "corrections_file_sha256": loaded.file_sha256,
        "corrections_file_error": loaded.error or "",
    }
