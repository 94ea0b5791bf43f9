"""demarche domain code: reading, cleaning, extraction, storage. No Dagster imports here.

Sub-packages, in the order data flows through them:
  sources_file  the sources file (data/sources.yaml): parsing and validation
  ingest        listing and reading the raw documents of one source
  cleaning      raw bytes -> clean article (trafilatura for HTML, own rules for plain text)
  extraction    clean text -> protest event mentions (gazetteer, sentences, dates, rules)
  incidents     mentions -> incidents merged across articles and sources
  storage       the DuckDB warehouse: schema, partition replacement, marts from sql/
"""
