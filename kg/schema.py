"""The SQLite schema of the store of record (portable SQL; bump SCHEMA_VERSION on change)."""

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0');
CREATE TABLE IF NOT EXISTS sources (
  source_id TEXT PRIMARY KEY, path TEXT NOT NULL, original TEXT NOT NULL, meta TEXT);
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(source_id),
  title TEXT NOT NULL, path TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  place TEXT DEFAULT '', meta TEXT, added_at REAL);
CREATE TABLE IF NOT EXISTS sections (
  section_id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL REFERENCES documents(doc_id),
  ordinal INTEGER NOT NULL, heading TEXT NOT NULL, role TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id);
CREATE TABLE IF NOT EXISTS passages (
  num INTEGER PRIMARY KEY AUTOINCREMENT, passage_id TEXT NOT NULL UNIQUE, text TEXT NOT NULL,
  ntokens INTEGER NOT NULL, vector BLOB NOT NULL, terms BLOB NOT NULL, simhash INTEGER);
CREATE TABLE IF NOT EXISTS fingerprints (
  band INTEGER NOT NULL, num INTEGER NOT NULL, PRIMARY KEY (band, num)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS occurrences (
  num INTEGER NOT NULL REFERENCES passages(num), doc_id TEXT NOT NULL REFERENCES documents(doc_id),
  section_id INTEGER NOT NULL REFERENCES sections(section_id), ordinal INTEGER NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL, PRIMARY KEY (num, doc_id, start));
CREATE INDEX IF NOT EXISTS occurrences_doc ON occurrences(doc_id);
CREATE TABLE IF NOT EXISTS vocabulary (term_id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS user_words (word TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS entities (
  eid INTEGER PRIMARY KEY, entity_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, name TEXT NOT NULL, attributes TEXT);
CREATE TABLE IF NOT EXISTS aliases (
  eid INTEGER NOT NULL, alias TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (eid, alias)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_key ON aliases(key);
CREATE TABLE IF NOT EXISTS mentions (
  eid INTEGER NOT NULL, num INTEGER NOT NULL, doc_id TEXT NOT NULL, start INTEGER NOT NULL,
  end INTEGER NOT NULL, surface TEXT NOT NULL, PRIMARY KEY (eid, num, doc_id, start)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_num ON mentions(num);
CREATE TABLE IF NOT EXISTS relations (
  rid INTEGER PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL, type TEXT NOT NULL, weight REAL NOT NULL,
  UNIQUE (src, dst, type));
CREATE INDEX IF NOT EXISTS relations_dst ON relations(dst);
CREATE TABLE IF NOT EXISTS relation_evidence (
  rid INTEGER NOT NULL, num INTEGER NOT NULL, PRIMARY KEY (rid, num)) WITHOUT ROWID;
"""
