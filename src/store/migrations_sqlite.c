/* Numbered schema migrations for SQLite. Never edit a released entry: add one.
 * Keep in step with migrations_postgres.c (same tables, same meaning). */
#include <stddef.h>

/* The items of the search from the tables, kind after kind. */
#define SQLITE_SEARCH_FILL \
	"INSERT INTO search_items (kind, item_id, title, body, extra) SELECT 'user', u.id, u.name," \
	"  u.role || ' ' || u.school || ' ' || u.academy || ' ' || u.bio," \
	"  COALESCE((SELECT group_concat(value, ' ') FROM user_tags t WHERE t.user_id = u.id), '') FROM users u;" \
	"INSERT INTO search_items (kind, item_id, title, body) SELECT 'group', id, name, description FROM groups;" \
	"INSERT INTO search_items (kind, item_id, title, body) SELECT 'post', id, title, body FROM posts;" \
	"INSERT INTO search_items (kind, item_id, body) SELECT 'reply', id, body FROM replies;" \
	"INSERT INTO search_items (kind, item_id, title, body, extra) SELECT 'document', d.id, d.title, d.description," \
	"  COALESCE((SELECT group_concat(value, ' ') FROM document_tags t WHERE t.document_id = d.id), '')" \
	"  || ' ' || COALESCE((SELECT text FROM blob_texts bt WHERE bt.sha256 = d.sha256), '') FROM documents d;"

/* Fills search_items from the tables (migration 5, as released). */
#define SQLITE_SEARCH_REBUILD \
	"DELETE FROM search_items;" \
	"INSERT INTO search_fts (search_fts) VALUES ('delete-all');" \
	SQLITE_SEARCH_FILL

/* search_items in the order their items were created (ids 1..N): the search
 * without filters ranks the newest matches by id (SEARCH_WINDOW), which
 * must be the newest items, not the last kind filled. Only keys are sorted. */
#define SQLITE_SEARCH_ORDER \
	"CREATE TEMP TABLE search_order (old_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);" \
	"INSERT INTO search_order (old_id, n) SELECT id, row_number() OVER (ORDER BY t, id) FROM (" \
	"  SELECT s.id AS id, CASE s.kind" \
	"    WHEN 'user' THEN (SELECT created_at FROM users WHERE id = s.item_id)" \
	"    WHEN 'group' THEN (SELECT created_at FROM groups WHERE id = s.item_id)" \
	"    WHEN 'post' THEN (SELECT created_at FROM posts WHERE id = s.item_id)" \
	"    WHEN 'reply' THEN (SELECT created_at FROM replies WHERE id = s.item_id)" \
	"    ELSE (SELECT created_at FROM documents WHERE id = s.item_id) END AS t FROM search_items s);" \
	"UPDATE search_items SET id = -(SELECT n FROM search_order WHERE old_id = search_items.id);" \
	"UPDATE search_items SET id = -id;" \
	"DROP TABLE temp.search_order;"

/* The index kept in step with search_items (as in migration 5). */
#define SQLITE_SEARCH_ITEMS_TRIGGERS \
	"CREATE TRIGGER search_items_ai AFTER INSERT ON search_items BEGIN" \
	"  INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra); END;" \
	"CREATE TRIGGER search_items_ad AFTER DELETE ON search_items BEGIN" \
	"  INSERT INTO search_fts (search_fts, rowid, title, body, extra)" \
	"  VALUES ('delete', old.id, old.title, old.body, old.extra); END;" \
	"CREATE TRIGGER search_items_au AFTER UPDATE ON search_items BEGIN" \
	"  INSERT INTO search_fts (search_fts, rowid, title, body, extra)" \
	"  VALUES ('delete', old.id, old.title, old.body, old.extra);" \
	"  INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra); END;"
#define SQLITE_SEARCH_ITEMS_TRIGGERS_DROP \
	"DROP TRIGGER search_items_ai; DROP TRIGGER search_items_ad; DROP TRIGGER search_items_au;"

/* The ligatures as two letters, as util/search_text.c folds a query and
 * unaccent does on PostgreSQL (FTS5's unicode61 keeps "œ" and "æ" as they
 * are): what the index is fed, by the triggers and through the view
 * search_fts_text that it rebuilds from (migration 13). */
#define SQLITE_FOLD_LIGATURES(x) \
	"replace(replace(replace(replace(" x ", 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')"

/* The index kept in step with search_items, fed folded text (migration 13). */
#define SQLITE_SEARCH_ITEMS_TRIGGERS_FOLDED \
	"CREATE TRIGGER search_items_ai AFTER INSERT ON search_items BEGIN" \
	"  INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, " \
	SQLITE_FOLD_LIGATURES("new.title") ", " SQLITE_FOLD_LIGATURES("new.body") ", " \
	SQLITE_FOLD_LIGATURES("new.extra") "); END;" \
	"CREATE TRIGGER search_items_ad AFTER DELETE ON search_items BEGIN" \
	"  INSERT INTO search_fts (search_fts, rowid, title, body, extra) VALUES ('delete', old.id, " \
	SQLITE_FOLD_LIGATURES("old.title") ", " SQLITE_FOLD_LIGATURES("old.body") ", " \
	SQLITE_FOLD_LIGATURES("old.extra") "); END;" \
	"CREATE TRIGGER search_items_au AFTER UPDATE ON search_items BEGIN" \
	"  INSERT INTO search_fts (search_fts, rowid, title, body, extra) VALUES ('delete', old.id, " \
	SQLITE_FOLD_LIGATURES("old.title") ", " SQLITE_FOLD_LIGATURES("old.body") ", " \
	SQLITE_FOLD_LIGATURES("old.extra") ");" \
	"  INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, " \
	SQLITE_FOLD_LIGATURES("new.title") ", " SQLITE_FOLD_LIGATURES("new.body") ", " \
	SQLITE_FOLD_LIGATURES("new.extra") "); END;"

/* Innovation records in the search (migration 15): title; summary, aims,
 * actions and effects; the academy. */
#define SQLITE_SEARCH_INNOVATIONS_TRIGGERS \
	"CREATE TRIGGER search_innovations_ai AFTER INSERT ON innovations BEGIN" \
	"  INSERT INTO search_items (kind, item_id, title, body, extra) VALUES ('innovation', new.id, new.title," \
	"  new.summary || ' ' || new.aims || ' ' || new.actions || ' ' || new.effects, new.academy); END;" \
	"CREATE TRIGGER search_innovations_au AFTER UPDATE OF title, summary, aims, actions, effects, academy" \
	"  ON innovations BEGIN" \
	"  UPDATE search_items SET title = new.title, body = new.summary || ' ' || new.aims || ' ' || new.actions || ' ' || new.effects, extra = new.academy" \
	"  WHERE kind = 'innovation' AND item_id = new.id; END;" \
	"CREATE TRIGGER search_innovations_ad AFTER DELETE ON innovations BEGIN" \
	"  DELETE FROM search_items WHERE kind = 'innovation' AND item_id = old.id; END;"

/* Calls for proposals in the search (migration 17): title; description. */
#define SQLITE_SEARCH_CALLS_TRIGGERS \
	"CREATE TRIGGER search_calls_ai AFTER INSERT ON calls BEGIN" \
	"  INSERT INTO search_items (kind, item_id, title, body) VALUES ('call', new.id, new.title, new.description); END;" \
	"CREATE TRIGGER search_calls_au AFTER UPDATE OF title, description ON calls BEGIN" \
	"  UPDATE search_items SET title = new.title, body = new.description WHERE kind = 'call' AND item_id = new.id; END;" \
	"CREATE TRIGGER search_calls_ad AFTER DELETE ON calls BEGIN" \
	"  DELETE FROM search_items WHERE kind = 'call' AND item_id = old.id; END;"

/* search_items in order of creation, innovation records included (from migration 15 on). */
#define SQLITE_SEARCH_ORDER_15 \
	"CREATE TEMP TABLE search_order (old_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);" \
	"INSERT INTO search_order (old_id, n) SELECT id, row_number() OVER (ORDER BY t, id) FROM (" \
	"  SELECT s.id AS id, CASE s.kind" \
	"    WHEN 'user' THEN (SELECT created_at FROM users WHERE id = s.item_id)" \
	"    WHEN 'group' THEN (SELECT created_at FROM groups WHERE id = s.item_id)" \
	"    WHEN 'post' THEN (SELECT created_at FROM posts WHERE id = s.item_id)" \
	"    WHEN 'reply' THEN (SELECT created_at FROM replies WHERE id = s.item_id)" \
	"    WHEN 'innovation' THEN (SELECT created_at FROM innovations WHERE id = s.item_id)" \
	"    ELSE (SELECT created_at FROM documents WHERE id = s.item_id) END AS t FROM search_items s);" \
	"UPDATE search_items SET id = -(SELECT n FROM search_order WHERE old_id = search_items.id);" \
	"UPDATE search_items SET id = -id;" \
	"DROP TABLE temp.search_order;"

/* Events in the search (migration 18): title; description; place. */
#define SQLITE_SEARCH_EVENTS_TRIGGERS \
	"CREATE TRIGGER search_events_ai AFTER INSERT ON events BEGIN" \
	"  INSERT INTO search_items (kind, item_id, title, body, extra)" \
	"  VALUES ('event', new.id, new.title, new.description, new.place); END;" \
	"CREATE TRIGGER search_events_au AFTER UPDATE OF title, description, place ON events BEGIN" \
	"  UPDATE search_items SET title = new.title, body = new.description, extra = new.place" \
	"  WHERE kind = 'event' AND item_id = new.id; END;" \
	"CREATE TRIGGER search_events_ad AFTER DELETE ON events BEGIN" \
	"  DELETE FROM search_items WHERE kind = 'event' AND item_id = old.id; END;"

/* search_items in order of creation, events and calls included (from migration 18 on). */
#define SQLITE_SEARCH_ORDER_18 \
	"CREATE TEMP TABLE search_order (old_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);" \
	"INSERT INTO search_order (old_id, n) SELECT id, row_number() OVER (ORDER BY t, id) FROM (" \
	"  SELECT s.id AS id, CASE s.kind" \
	"    WHEN 'user' THEN (SELECT created_at FROM users WHERE id = s.item_id)" \
	"    WHEN 'group' THEN (SELECT created_at FROM groups WHERE id = s.item_id)" \
	"    WHEN 'post' THEN (SELECT created_at FROM posts WHERE id = s.item_id)" \
	"    WHEN 'reply' THEN (SELECT created_at FROM replies WHERE id = s.item_id)" \
	"    WHEN 'innovation' THEN (SELECT created_at FROM innovations WHERE id = s.item_id)" \
	"    WHEN 'event' THEN (SELECT created_at FROM events WHERE id = s.item_id)" \
	"    WHEN 'call' THEN (SELECT created_at FROM calls WHERE id = s.item_id)" \
	"    ELSE (SELECT created_at FROM documents WHERE id = s.item_id) END AS t FROM search_items s);" \
	"UPDATE search_items SET id = -(SELECT n FROM search_order WHERE old_id = search_items.id);" \
	"UPDATE search_items SET id = -id;" \
	"DROP TABLE temp.search_order;"

/* `respire reindex`: the items again from the tables, without the index's
 * triggers, in order of creation, then the index in one pass. */
const char *const sqlite_search_rebuild =
	SQLITE_SEARCH_ITEMS_TRIGGERS_DROP
	"DELETE FROM search_items;"
	SQLITE_SEARCH_FILL
	"INSERT INTO search_items (kind, item_id, title, body, extra) SELECT 'innovation', id, title,"
	"  summary || ' ' || aims || ' ' || actions || ' ' || effects, academy FROM innovations;"
	"INSERT INTO search_items (kind, item_id, title, body, extra) SELECT 'event', id, title, description, place"
	"  FROM events;"
	"INSERT INTO search_items (kind, item_id, title, body) SELECT 'call', id, title, description FROM calls;"
	SQLITE_SEARCH_ORDER_18
	SQLITE_SEARCH_ITEMS_TRIGGERS_FOLDED
	"INSERT INTO search_fts (search_fts) VALUES ('rebuild');";

const char *const sqlite_migrations[] = {
	/* 1: accounts, profiles, sessions, one-time tokens, throttling, settings */
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  handle TEXT NOT NULL UNIQUE,"
	"  password_hash TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','active','disabled')),"
	"  site_role TEXT NOT NULL DEFAULT 'member' CHECK (site_role IN ('member','admin')),"
	"  role TEXT NOT NULL DEFAULT '',"
	"  bio TEXT NOT NULL DEFAULT '',"
	"  academy TEXT NOT NULL DEFAULT '',"
	"  school TEXT NOT NULL DEFAULT '',"
	"  avatar TEXT,"
	"  lang TEXT NOT NULL DEFAULT 'fr',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE user_tags ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('subject','level','interest')),"
	"  pos INTEGER NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (user_id, kind, pos));"
	"CREATE INDEX user_tags_value ON user_tags(kind, value);"
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  user_agent TEXT NOT NULL DEFAULT '',"
	"  ip TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE INDEX sessions_expires ON sessions(expires_at);"
	"CREATE TABLE tokens ("
	"  token_hash TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('verify','reset')),"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  used_at INTEGER);"
	"CREATE INDEX tokens_user ON tokens(user_id, kind);"
	"CREATE TABLE login_failures ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX login_failures_key ON login_failures(key, at);"
	"CREATE INDEX login_failures_at ON login_failures(at);",
	/* 2: the social core: contacts, follows, groups, posts, replies, revisions,
	 * marks, reads, notifications, reports, audit log, activity */
	"ALTER TABLE users ADD COLUMN allow_follow INTEGER NOT NULL DEFAULT 1;"
	"CREATE TABLE contacts ("
	"  requester_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  addressee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL CHECK (state IN ('pending','accepted')),"
	"  created_at INTEGER NOT NULL,"
	"  accepted_at INTEGER,"
	"  PRIMARY KEY (requester_id, addressee_id),"
	"  CHECK (requester_id <> addressee_id));"
	"CREATE INDEX contacts_addressee ON contacts(addressee_id, state);"
	"CREATE TABLE follows ("
	"  follower_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  followee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (follower_id, followee_id),"
	"  CHECK (follower_id <> followee_id));"
	"CREATE INDEX follows_followee ON follows(followee_id);"
	"CREATE TABLE groups ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL CHECK (kind IN ('resources','practice','training','project')),"
	"  visibility TEXT NOT NULL CHECK (visibility IN ('open','closed','secret')),"
	"  allowed_academies TEXT NOT NULL DEFAULT '',"
	"  allowed_domains TEXT NOT NULL DEFAULT '',"
	"  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  last_activity_at INTEGER NOT NULL);"
	"CREATE INDEX groups_listing ON groups(visibility, kind, last_activity_at);"
	"CREATE TABLE group_members ("
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner','moderator','member')),"
	"  state TEXT NOT NULL CHECK (state IN ('member','requested','invited')),"
	"  invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  joined_at INTEGER,"
	"  PRIMARY KEY (group_id, user_id));"
	"CREATE INDEX group_members_user ON group_members(user_id, state);"
	"CREATE TABLE group_email_invitations ("
	"  id INTEGER PRIMARY KEY,"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
	"  email TEXT NOT NULL,"
	"  invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (group_id, email));"
	"CREATE INDEX group_email_invitations_email ON group_email_invitations(email);"
	"CREATE TABLE posts ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('discussion','blog','page')),"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  visibility TEXT NOT NULL CHECK (visibility IN ('public','members','contacts','group','private')),"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  last_activity_at INTEGER NOT NULL,"
	"  reply_count INTEGER NOT NULL DEFAULT 0,"
	"  useful_count INTEGER NOT NULL DEFAULT 0,"
	"  revision INTEGER NOT NULL DEFAULT 1,"
	"  hidden_at INTEGER,"
	"  CHECK (visibility <> 'group' OR group_id IS NOT NULL));"
	"CREATE INDEX posts_author ON posts(author_id, created_at);"
	"CREATE INDEX posts_group ON posts(group_id, last_activity_at);"
	"CREATE INDEX posts_visibility ON posts(visibility, created_at);"
	"CREATE TABLE post_revisions ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  revision INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (post_id, revision));"
	"CREATE TABLE replies ("
	"  id INTEGER PRIMARY KEY,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  quote_id INTEGER REFERENCES replies(id) ON DELETE SET NULL,"
	"  body TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  hidden_at INTEGER);"
	"CREATE INDEX replies_post ON replies(post_id, created_at);"
	"CREATE INDEX replies_author ON replies(author_id, created_at);"
	"CREATE TABLE useful_marks ("
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (post_id, user_id));"
	"CREATE TABLE post_reads ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  read_at INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, post_id));"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  actor_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"  post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,"
	"  reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  read_at INTEGER);"
	"CREATE INDEX notifications_user ON notifications(user_id, read_at, id);"
	"CREATE TABLE reports ("
	"  id INTEGER PRIMARY KEY,"
	"  post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,"
	"  reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,"
	"  reporter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  reason TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  resolved_at INTEGER,"
	"  resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  resolution TEXT);"
	"CREATE INDEX reports_open ON reports(resolved_at, id);"
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  action TEXT NOT NULL,"
	"  post_id INTEGER,"
	"  reply_id INTEGER,"
	"  group_id INTEGER,"
	"  target_user_id INTEGER,"
	"  detail TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE activities ("
	"  id INTEGER PRIMARY KEY,"
	"  actor_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"  verb TEXT NOT NULL CHECK (verb IN ('post','reply','revise')),"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX activities_actor ON activities(actor_id, id);"
	"CREATE INDEX activities_post ON activities(post_id);",
	/* 3: documents and films (content-addressed blobs, versions, tags, marks, comments) */
	"ALTER TABLE users ADD COLUMN default_licence TEXT NOT NULL DEFAULT 'CC-BY-SA';"
	"CREATE TABLE blobs ("
	"  sha256 TEXT PRIMARY KEY,"
	"  size INTEGER NOT NULL,"
	"  mime TEXT NOT NULL,"
	"  thumb_state TEXT NOT NULL DEFAULT 'pending' CHECK (thumb_state IN ('pending','working','done','none','failed')),"
	"  thumb_claimed_at INTEGER,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX blobs_thumb ON blobs(thumb_state);"
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  licence TEXT NOT NULL CHECK (licence IN ('CC-BY','CC-BY-SA','CC-BY-NC','CC-BY-NC-SA','CC-BY-ND','CC-BY-NC-ND','CC0','ARR')),"
	"  visibility TEXT NOT NULL CHECK (visibility IN ('public','members','contacts','group','private')),"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	"  filename TEXT NOT NULL,"
	"  mime TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  download_count INTEGER NOT NULL DEFAULT 0,"
	"  useful_count INTEGER NOT NULL DEFAULT 0,"
	"  comment_count INTEGER NOT NULL DEFAULT 0,"
	"  hidden_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  CHECK (visibility <> 'group' OR group_id IS NOT NULL));"
	"CREATE INDEX documents_author ON documents(author_id, id);"
	"CREATE INDEX documents_group ON documents(group_id, id);"
	"CREATE TABLE document_versions ("
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	"  filename TEXT NOT NULL,"
	"  mime TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (document_id, version));"
	"CREATE INDEX document_versions_sha ON document_versions(sha256);"
	"CREATE INDEX document_versions_author ON document_versions(author_id);"
	"CREATE TABLE document_tags ("
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('subject','level')),"
	"  pos INTEGER NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (document_id, kind, pos));"
	"CREATE INDEX document_tags_value ON document_tags(kind, value);"
	"CREATE TABLE document_useful ("
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (document_id, user_id));"
	"CREATE TABLE document_comments ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  body TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  hidden_at INTEGER);"
	"CREATE INDEX document_comments_document ON document_comments(document_id, id);"
	"CREATE TABLE activities_new ("
	"  id INTEGER PRIMARY KEY,"
	"  actor_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"  verb TEXT NOT NULL CHECK (verb IN ('post','reply','revise','document')),"
	"  post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,"
	"  reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,"
	"  document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK ((post_id IS NULL) <> (document_id IS NULL)));"
	"INSERT INTO activities_new (id, actor_id, verb, post_id, reply_id, created_at)"
	"  SELECT id, actor_id, verb, post_id, reply_id, created_at FROM activities;"
	"DROP TABLE activities;"
	"ALTER TABLE activities_new RENAME TO activities;"
	"CREATE INDEX activities_actor ON activities(actor_id, id);"
	"CREATE INDEX activities_post ON activities(post_id);"
	"CREATE INDEX activities_document ON activities(document_id);",
	/* 4: stored files that may have lost their last reference (a failed
	 * upload, a deleted document), removed by housekeeping once no row uses
	 * them, never by the request that left them */
	"CREATE TABLE blob_orphans ("
	"  sha256 TEXT PRIMARY KEY,"
	"  since INTEGER NOT NULL);"
	/* invitations by e-mail to an existing account keep the address, so that
	 * the inviter sees the address, never whose account it is */
	"ALTER TABLE group_members ADD COLUMN invited_email TEXT;",
	/* 5: search. One row per searchable item in search_items (kept in step by
	 * the triggers below, whatever writes the item), an FTS5 index over it
	 * (accents and case folded), the text extracted from documents' files. */
	"CREATE TABLE blob_texts ("
	"  sha256 TEXT PRIMARY KEY REFERENCES blobs(sha256) ON DELETE CASCADE,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','working','done','none','failed')),"
	"  claimed_at INTEGER,"
	"  text TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX blob_texts_state ON blob_texts(state);"
	"INSERT INTO blob_texts (sha256) SELECT sha256 FROM blobs"
	"  WHERE mime IN ('application/pdf','text/plain','text/markdown','text/csv');"
	"CREATE TABLE search_items ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('user','group','post','reply','document')),"
	"  item_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL DEFAULT '',"
	"  extra TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (kind, item_id));"
	"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, extra, content='search_items', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');"
	"CREATE TRIGGER search_items_ai AFTER INSERT ON search_items BEGIN"
	"  INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra); END;"
	"CREATE TRIGGER search_items_ad AFTER DELETE ON search_items BEGIN"
	"  INSERT INTO search_fts (search_fts, rowid, title, body, extra)"
	"  VALUES ('delete', old.id, old.title, old.body, old.extra); END;"
	"CREATE TRIGGER search_items_au AFTER UPDATE ON search_items BEGIN"
	"  INSERT INTO search_fts (search_fts, rowid, title, body, extra)"
	"  VALUES ('delete', old.id, old.title, old.body, old.extra);"
	"  INSERT INTO search_fts (rowid, title, body, extra) VALUES (new.id, new.title, new.body, new.extra); END;"
	/* members: name; role, school, academy and presentation; subjects, levels, interests */
	"CREATE TRIGGER search_users_ai AFTER INSERT ON users BEGIN"
	"  INSERT INTO search_items (kind, item_id, title, body) VALUES ('user', new.id, new.name,"
	"  new.role || ' ' || new.school || ' ' || new.academy || ' ' || new.bio); END;"
	"CREATE TRIGGER search_users_au AFTER UPDATE OF name, role, school, academy, bio ON users BEGIN"
	"  UPDATE search_items SET title = new.name,"
	"  body = new.role || ' ' || new.school || ' ' || new.academy || ' ' || new.bio"
	"  WHERE kind = 'user' AND item_id = new.id; END;"
	"CREATE TRIGGER search_users_ad AFTER DELETE ON users BEGIN"
	"  DELETE FROM search_items WHERE kind = 'user' AND item_id = old.id; END;"
	"CREATE TRIGGER search_user_tags_ai AFTER INSERT ON user_tags BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM user_tags"
	"  WHERE user_id = new.user_id), '') WHERE kind = 'user' AND item_id = new.user_id; END;"
	"CREATE TRIGGER search_user_tags_ad AFTER DELETE ON user_tags BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM user_tags"
	"  WHERE user_id = old.user_id), '') WHERE kind = 'user' AND item_id = old.user_id; END;"
	"CREATE TRIGGER search_user_tags_au AFTER UPDATE ON user_tags BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM user_tags"
	"  WHERE user_id = new.user_id), '') WHERE kind = 'user' AND item_id = new.user_id; END;"
	/* groups: name, description */
	"CREATE TRIGGER search_groups_ai AFTER INSERT ON groups BEGIN"
	"  INSERT INTO search_items (kind, item_id, title, body) VALUES ('group', new.id, new.name, new.description); END;"
	"CREATE TRIGGER search_groups_au AFTER UPDATE OF name, description ON groups BEGIN"
	"  UPDATE search_items SET title = new.name, body = new.description WHERE kind = 'group' AND item_id = new.id; END;"
	"CREATE TRIGGER search_groups_ad AFTER DELETE ON groups BEGIN"
	"  DELETE FROM search_items WHERE kind = 'group' AND item_id = old.id; END;"
	/* posts: title, body; replies: body */
	"CREATE TRIGGER search_posts_ai AFTER INSERT ON posts BEGIN"
	"  INSERT INTO search_items (kind, item_id, title, body) VALUES ('post', new.id, new.title, new.body); END;"
	"CREATE TRIGGER search_posts_au AFTER UPDATE OF title, body ON posts BEGIN"
	"  UPDATE search_items SET title = new.title, body = new.body WHERE kind = 'post' AND item_id = new.id; END;"
	"CREATE TRIGGER search_posts_ad AFTER DELETE ON posts BEGIN"
	"  DELETE FROM search_items WHERE kind = 'post' AND item_id = old.id; END;"
	"CREATE TRIGGER search_replies_ai AFTER INSERT ON replies BEGIN"
	"  INSERT INTO search_items (kind, item_id, body) VALUES ('reply', new.id, new.body); END;"
	"CREATE TRIGGER search_replies_au AFTER UPDATE OF body ON replies BEGIN"
	"  UPDATE search_items SET body = new.body WHERE kind = 'reply' AND item_id = new.id; END;"
	"CREATE TRIGGER search_replies_ad AFTER DELETE ON replies BEGIN"
	"  DELETE FROM search_items WHERE kind = 'reply' AND item_id = old.id; END;"
	/* documents: title, description; their tags and the text of their current file */
	"CREATE TRIGGER search_documents_ai AFTER INSERT ON documents BEGIN"
	"  INSERT INTO search_items (kind, item_id, title, body, extra) VALUES ('document', new.id, new.title,"
	"  new.description, COALESCE((SELECT text FROM blob_texts WHERE sha256 = new.sha256), '')); END;"
	"CREATE TRIGGER search_documents_au AFTER UPDATE OF title, description, sha256 ON documents BEGIN"
	"  UPDATE search_items SET title = new.title, body = new.description,"
	"  extra = COALESCE((SELECT group_concat(value, ' ') FROM document_tags WHERE document_id = new.id), '')"
	"  || ' ' || COALESCE((SELECT text FROM blob_texts WHERE sha256 = new.sha256), '')"
	"  WHERE kind = 'document' AND item_id = new.id; END;"
	"CREATE TRIGGER search_documents_ad AFTER DELETE ON documents BEGIN"
	"  DELETE FROM search_items WHERE kind = 'document' AND item_id = old.id; END;"
	"CREATE TRIGGER search_document_tags_ai AFTER INSERT ON document_tags BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM document_tags"
	"  WHERE document_id = new.document_id), '') || ' ' || COALESCE((SELECT bt.text FROM documents d"
	"  JOIN blob_texts bt ON bt.sha256 = d.sha256 WHERE d.id = new.document_id), '')"
	"  WHERE kind = 'document' AND item_id = new.document_id; END;"
	"CREATE TRIGGER search_document_tags_ad AFTER DELETE ON document_tags BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM document_tags"
	"  WHERE document_id = old.document_id), '') || ' ' || COALESCE((SELECT bt.text FROM documents d"
	"  JOIN blob_texts bt ON bt.sha256 = d.sha256 WHERE d.id = old.document_id), '')"
	"  WHERE kind = 'document' AND item_id = old.document_id; END;"
	"CREATE TRIGGER search_blob_texts_ai AFTER INSERT ON blob_texts BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM document_tags t"
	"  WHERE t.document_id = search_items.item_id), '') || ' ' || new.text"
	"  WHERE kind = 'document' AND item_id IN (SELECT id FROM documents WHERE sha256 = new.sha256); END;"
	"CREATE TRIGGER search_blob_texts_au AFTER UPDATE OF text ON blob_texts BEGIN"
	"  UPDATE search_items SET extra = COALESCE((SELECT group_concat(value, ' ') FROM document_tags t"
	"  WHERE t.document_id = search_items.item_id), '') || ' ' || new.text"
	"  WHERE kind = 'document' AND item_id IN (SELECT id FROM documents WHERE sha256 = new.sha256); END;"
	SQLITE_SEARCH_REBUILD,
	/* 6: live exchange: chat rooms (a group's, or a private conversation),
	 * their messages, read marks and presence; blocks; notification
	 * settings; the outgoing mail queue and daily digests */
	"CREATE TABLE chat_rooms ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('group','private')),"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  is_main INTEGER NOT NULL DEFAULT 0,"
	"  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  last_message_at INTEGER NOT NULL DEFAULT 0,"
	"  CHECK ((kind = 'group') = (group_id IS NOT NULL)));"
	"CREATE UNIQUE INDEX chat_rooms_main ON chat_rooms(group_id) WHERE is_main = 1;"
	"CREATE INDEX chat_rooms_group ON chat_rooms(group_id);"
	"CREATE TABLE chat_participants ("
	"  room_id INTEGER NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  joined_at INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user_id));"
	"CREATE INDEX chat_participants_user ON chat_participants(user_id);"
	"CREATE TABLE chat_messages ("
	"  id INTEGER PRIMARY KEY,"
	"  room_id INTEGER NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  body TEXT NOT NULL,"
	"  document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX chat_messages_room ON chat_messages(room_id, id);"
	"CREATE INDEX chat_messages_author ON chat_messages(author_id, created_at);"
	"CREATE TABLE chat_reads ("
	"  room_id INTEGER NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  last_read_id INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (room_id, user_id));"
	"CREATE TABLE chat_presence ("
	"  room_id INTEGER NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  seen_at INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user_id));"
	"CREATE TABLE blocks ("
	"  blocker_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (blocker_id, blocked_id),"
	"  CHECK (blocker_id <> blocked_id));"
	"CREATE INDEX blocks_blocked ON blocks(blocked_id);"
	"ALTER TABLE notifications ADD COLUMN room_id INTEGER REFERENCES chat_rooms(id) ON DELETE CASCADE;"
	"CREATE TABLE notification_prefs ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('reply','mention','invitation','request','message','group')),"
	"  mode TEXT NOT NULL CHECK (mode IN ('page','mail','digest')),"
	"  PRIMARY KEY (user_id, kind));"
	"CREATE INDEX notification_prefs_mode ON notification_prefs(kind, mode);"
	"CREATE TABLE mail_queue ("
	"  id INTEGER PRIMARY KEY,"
	"  to_addr TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  headers TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  claimed_at INTEGER,"
	"  sent_at INTEGER,"
	"  failed_at INTEGER,"
	"  last_error TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX mail_queue_due ON mail_queue(sent_at, failed_at, next_attempt_at);"
	"CREATE TABLE digests ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  day TEXT NOT NULL,"
	"  sent_at INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, day));",
	/* 7: mails about private messages: when each member last had one per room */
	"CREATE TABLE mail_throttle ("
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  room_id INTEGER NOT NULL REFERENCES chat_rooms(id) ON DELETE CASCADE,"
	"  last_at INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, room_id));"
	"CREATE INDEX mail_throttle_room ON mail_throttle(room_id);",
	/* 8: the feed reads a circle's activities from their own index entries
	 * (posts and documents apart), without reading each activity's row; a
	 * group's newest posts are read in order, without sorting all of them. */
	"CREATE INDEX IF NOT EXISTS activities_actor_posts ON activities(actor_id, id) WHERE post_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS activities_actor_documents ON activities(actor_id, id) WHERE document_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS posts_group_recent ON posts(group_id, id);",
	/* 9: an activity names the group of its post or document (copied by a
	 * trigger on insert: a post or document never changes group), so that
	 * the feed reads my groups' newest activities from one index range per
	 * group instead of joining every post and document of my groups. */
	"ALTER TABLE activities ADD COLUMN group_id INTEGER;"
	"UPDATE activities SET group_id = (SELECT group_id FROM posts WHERE id = activities.post_id)"
	"  WHERE post_id IS NOT NULL;"
	"UPDATE activities SET group_id = (SELECT group_id FROM documents WHERE id = activities.document_id)"
	"  WHERE document_id IS NOT NULL;"
	"CREATE TRIGGER activities_group AFTER INSERT ON activities WHEN new.group_id IS NULL BEGIN"
	"  UPDATE activities SET group_id = CASE WHEN new.post_id IS NOT NULL"
	"    THEN (SELECT group_id FROM posts WHERE id = new.post_id)"
	"    ELSE (SELECT group_id FROM documents WHERE id = new.document_id) END WHERE id = new.id; END;"
	"CREATE INDEX activities_group_posts ON activities(group_id, id) WHERE post_id IS NOT NULL;"
	"CREATE INDEX activities_group_documents ON activities(group_id, id) WHERE document_id IS NOT NULL;",
	/* 10: prefix indexes (2 to 8 characters) for the search: without them
	 * FTS5 merges the postings of every word beginning with a stem before
	 * anything else (tens of milliseconds per term on 500,000 items, growing
	 * with the network); with them a stem is one entry. Stems longer than 8
	 * letters are looked up by their first 8 (store/sqlite.c). And the items
	 * in order of creation (a reindex had filled them kind after kind). */
	"DROP TABLE search_fts;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_DROP
	SQLITE_SEARCH_ORDER
	"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, extra, content='search_items', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6 7 8');"
	"INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');"
	SQLITE_SEARCH_ITEMS_TRIGGERS
	"INSERT INTO search_fts(search_fts) VALUES ('rebuild');",
	/* 11: relevance by respire_rank (store/sqlite.c), same weights: bm25()
	 * read every match before the first row to weigh the words. */
	"INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'respire_rank(10.0, 4.0, 1.0)');",
	/* 12: a member's replies name their discussion in the index ("my
	 * discussions" read each reply's row for it: 300 rows spread over the
	 * file, most of the home page's time on a large network). */
	"DROP INDEX replies_author;"
	"CREATE INDEX replies_author ON replies(author_id, created_at, post_id);",
	/* 13: the ligatures œ and æ indexed as "oe" and "ae", as a query folds
	 * them (util/search_text.c) and PostgreSQL's unaccent does: "coeur"
	 * finds "cœur". The index reads its text through the view
	 * search_fts_text (search_items with the ligatures written out), so
	 * that a rebuild feeds it what the triggers do; search_items keeps the
	 * text as written, for snippets. Built-in functions only: the sqlite3
	 * shell can still write the tables. */
	"DROP TABLE search_fts;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_DROP
	"CREATE VIEW search_fts_text AS SELECT id, " SQLITE_FOLD_LIGATURES("title") " AS title, "
	SQLITE_FOLD_LIGATURES("body") " AS body, " SQLITE_FOLD_LIGATURES("extra") " AS extra FROM search_items;"
	"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, extra, content='search_fts_text', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6 7 8');"
	"INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'respire_rank(10.0, 4.0, 1.0)');"
	SQLITE_SEARCH_ITEMS_TRIGGERS_FOLDED
	"INSERT INTO search_fts(search_fts) VALUES ('rebuild');",
	/* 14: schools of the national directory (the "Annuaire de l'education"
	 * export, respire schools import), by UAI; folded is the name, the town
	 * and the UAI, lower case without accents (util/search_text.c), what the
	 * search box reads, in name order. A member may name their school from
	 * the directory (school_uai; the free-text school stays as it was) and
	 * choose whether its page shows them (show_school). */
	"CREATE TABLE schools (uai TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT '',"
	"  academy TEXT NOT NULL DEFAULT '', town TEXT NOT NULL DEFAULT '', postcode TEXT NOT NULL DEFAULT '',"
	"  folded TEXT NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX schools_folded ON schools(folded);"
	"CREATE INDEX schools_academy ON schools(academy, folded);"
	"ALTER TABLE users ADD COLUMN school_uai TEXT;"
	"ALTER TABLE users ADD COLUMN show_school INTEGER NOT NULL DEFAULT 1;"
	"CREATE INDEX users_school ON users(school_uai) WHERE school_uai IS NOT NULL;",
	/* 15: innovation records (issue 19): the records, their tags (levels,
	 * subjects, themes, keywords), co-authors, linked groups and documents,
	 * revisions, follows and useful marks; academy advisers. The UAI is
	 * checked by shape only (the schools table joins later). */
	"CREATE TABLE innovations ("
	"  id INTEGER PRIMARY KEY,"
	"  ref TEXT UNIQUE,"
	"  coordinator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  title TEXT NOT NULL,"
	"  summary TEXT NOT NULL DEFAULT '',"
	"  academy TEXT NOT NULL,"
	"  uai TEXT,"
	"  type TEXT NOT NULL CHECK (type IN ('local','experimentation')),"
	"  started_year INTEGER NOT NULL,"
	"  duration_years INTEGER NOT NULL,"
	"  aims TEXT NOT NULL DEFAULT '',"
	"  actions TEXT NOT NULL DEFAULT '',"
	"  evaluation TEXT NOT NULL DEFAULT '',"
	"  effects TEXT NOT NULL DEFAULT '',"
	"  partners TEXT NOT NULL DEFAULT '',"
	"  visibility TEXT NOT NULL CHECK (visibility IN ('public','members')),"
	"  support TEXT NOT NULL DEFAULT 'none' CHECK (support IN ('none','autonomous','followed','selected')),"
	"  support_comment TEXT NOT NULL DEFAULT '',"
	"  support_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  revision INTEGER NOT NULL DEFAULT 1,"
	"  hidden_at INTEGER);"
	"CREATE INDEX innovations_academy ON innovations(academy, id);"
	"CREATE INDEX innovations_coordinator ON innovations(coordinator_id);"
	"CREATE INDEX innovations_year ON innovations(started_year);"
	"CREATE INDEX innovations_uai ON innovations(uai);"
	"CREATE TABLE innovation_tags ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('level','subject','theme','keyword')),"
	"  pos INTEGER NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (innovation_id, kind, pos));"
	"CREATE INDEX innovation_tags_value ON innovation_tags(kind, value, innovation_id);"
	"CREATE TABLE innovation_coauthors ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  PRIMARY KEY (innovation_id, user_id));"
	"CREATE INDEX innovation_coauthors_user ON innovation_coauthors(user_id);"
	"CREATE TABLE innovation_groups ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (innovation_id, group_id));"
	"CREATE INDEX innovation_groups_group ON innovation_groups(group_id);"
	"CREATE TABLE innovation_documents ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (innovation_id, document_id));"
	"CREATE TABLE innovation_revisions ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  revision INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (innovation_id, revision));"
	"CREATE TABLE innovation_follows ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (innovation_id, user_id));"
	"CREATE TABLE innovation_useful ("
	"  innovation_id INTEGER NOT NULL REFERENCES innovations(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (innovation_id, user_id));"
	"ALTER TABLE users ADD COLUMN adviser_academy TEXT;"
	/* the search: search_items takes the kind 'innovation' (the table
	 * rebuilt with its rows and ids, the index untouched), kept by triggers */
	"PRAGMA legacy_alter_table = ON;"
	"DROP VIEW search_fts_text;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_DROP
	"CREATE TABLE search_items_15 ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('user','group','post','reply','document','innovation')),"
	"  item_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL DEFAULT '',"
	"  extra TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (kind, item_id));"
	"INSERT INTO search_items_15 (id, kind, item_id, title, body, extra)"
	"  SELECT id, kind, item_id, title, body, extra FROM search_items;"
	"DROP TABLE search_items;"
	"ALTER TABLE search_items_15 RENAME TO search_items;"
	"PRAGMA legacy_alter_table = OFF;"
	"CREATE VIEW search_fts_text AS SELECT id, " SQLITE_FOLD_LIGATURES("title") " AS title, "
	SQLITE_FOLD_LIGATURES("body") " AS body, " SQLITE_FOLD_LIGATURES("extra") " AS extra FROM search_items;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_FOLDED
	SQLITE_SEARCH_INNOVATIONS_TRIGGERS,
	/* 16: a record's creation and its updates are activities (issue 19),
	 * read by the feed of its followers, of its team's contacts and of
	 * its linked groups' members (domain/feed.c). The table is rebuilt
	 * for the new column and checks (SQLite alters no CHECK). */
	"CREATE TABLE activities_16 ("
	"  id INTEGER PRIMARY KEY,"
	"  actor_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
	"  verb TEXT NOT NULL CHECK (verb IN ('post','reply','revise','document','innovation','innovation_update')),"
	"  post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,"
	"  reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,"
	"  document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  group_id INTEGER,"
	"  innovation_id INTEGER REFERENCES innovations(id) ON DELETE CASCADE,"
	"  CHECK ((post_id IS NOT NULL) + (document_id IS NOT NULL) + (innovation_id IS NOT NULL) = 1));"
	"INSERT INTO activities_16 (id, actor_id, verb, post_id, reply_id, document_id, created_at, group_id)"
	"  SELECT id, actor_id, verb, post_id, reply_id, document_id, created_at, group_id FROM activities;"
	"DROP TABLE activities;"
	"ALTER TABLE activities_16 RENAME TO activities;"
	"CREATE INDEX activities_actor ON activities(actor_id, id);"
	"CREATE INDEX activities_post ON activities(post_id);"
	"CREATE INDEX activities_document ON activities(document_id);"
	"CREATE INDEX activities_actor_posts ON activities(actor_id, id) WHERE post_id IS NOT NULL;"
	"CREATE INDEX activities_actor_documents ON activities(actor_id, id) WHERE document_id IS NOT NULL;"
	"CREATE INDEX activities_group_posts ON activities(group_id, id) WHERE post_id IS NOT NULL;"
	"CREATE INDEX activities_group_documents ON activities(group_id, id) WHERE document_id IS NOT NULL;"
	"CREATE INDEX activities_innovation ON activities(innovation_id, id) WHERE innovation_id IS NOT NULL;"
	"CREATE TRIGGER activities_group AFTER INSERT ON activities"
	"  WHEN new.group_id IS NULL AND new.innovation_id IS NULL BEGIN"
	"  UPDATE activities SET group_id = CASE WHEN new.post_id IS NOT NULL"
	"    THEN (SELECT group_id FROM posts WHERE id = new.post_id)"
	"    ELSE (SELECT group_id FROM documents WHERE id = new.document_id) END WHERE id = new.id; END;"
	"CREATE INDEX innovation_follows_user ON innovation_follows(user_id, innovation_id);"
	"CREATE INDEX innovation_groups_group_16 ON innovation_groups(group_id, innovation_id);"
	"DROP INDEX innovation_groups_group;"
	"CREATE INDEX innovation_coauthors_user_16 ON innovation_coauthors(user_id, innovation_id);"
	"DROP INDEX innovation_coauthors_user;"
	"CREATE INDEX innovations_coordinator_16 ON innovations(coordinator_id, id);"
	"DROP INDEX innovations_coordinator;",
	/* 17: calls for proposals (issue 20): a call (in a group or not), the
	 * fields of its form, the criteria of its rubric, its reviewers by
	 * stage; proposals, their authors (the author and co-authors), their
	 * answers, their reviewers' assignments and reviews (scores per
	 * criterion), public votes; a notification may be about a proposal (a
	 * decision). */
	"CREATE TABLE calls ("
	"  id INTEGER PRIMARY KEY,"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  opens_at INTEGER NOT NULL,"
	"  closes_at INTEGER NOT NULL,"
	"  reviews_due_at INTEGER NOT NULL,"
	"  stages TEXT NOT NULL DEFAULT 'national',"
	"  reviewers_per_proposal INTEGER NOT NULL DEFAULT 2,"
	"  public_vote INTEGER NOT NULL DEFAULT 0,"
	"  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  CHECK (closes_at > opens_at));"
	"CREATE INDEX calls_closes ON calls(closes_at, id);"
	"CREATE INDEX calls_group ON calls(group_id);"
	"CREATE TABLE call_fields ("
	"  call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('text','longtext','choice','file')),"
	"  required INTEGER NOT NULL DEFAULT 0,"
	"  options TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (call_id, key));"
	"CREATE TABLE call_criteria ("
	"  call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  max INTEGER NOT NULL,"
	"  weight INTEGER NOT NULL,"
	"  PRIMARY KEY (call_id, key));"
	"CREATE TABLE call_reviewers ("
	"  call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  stage TEXT NOT NULL CHECK (stage IN ('academy','national')),"
	"  academies TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (call_id, user_id, stage));"
	"CREATE INDEX call_reviewers_user ON call_reviewers(user_id, call_id);"
	"CREATE TABLE proposals ("
	"  id INTEGER PRIMARY KEY,"
	"  call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  title TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','under_review','accepted',"
	"    'rejected','waitlisted','withdrawn')),"
	"  academy TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  submitted_at INTEGER,"
	"  decided_at INTEGER,"
	"  decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  decision_message TEXT NOT NULL DEFAULT '',"
	"  innovation_id INTEGER REFERENCES innovations(id) ON DELETE SET NULL);"
	"CREATE INDEX proposals_call ON proposals(call_id, status, id);"
	"CREATE INDEX proposals_author ON proposals(author_id, id);"
	"CREATE INDEX proposals_innovation ON proposals(innovation_id) WHERE innovation_id IS NOT NULL;"
	"CREATE TABLE proposal_authors ("
	"  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('author','coauthor')),"
	"  pos INTEGER NOT NULL,"
	"  PRIMARY KEY (proposal_id, user_id));"
	"CREATE INDEX proposal_authors_user ON proposal_authors(user_id, proposal_id);"
	"CREATE TABLE proposal_answers ("
	"  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (proposal_id, key));"
	"CREATE TABLE proposal_assignments ("
	"  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,"
	"  reviewer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  stage TEXT NOT NULL CHECK (stage IN ('academy','national')),"
	"  assigned_at INTEGER NOT NULL,"
	"  assigned_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  reviewed_at INTEGER,"
	"  recommendation TEXT CHECK (recommendation IN ('accept','reject','discuss')),"
	"  comment TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (proposal_id, reviewer_id, stage));"
	"CREATE INDEX proposal_assignments_reviewer ON proposal_assignments(reviewer_id, proposal_id);"
	"CREATE TABLE review_scores ("
	"  proposal_id INTEGER NOT NULL,"
	"  reviewer_id INTEGER NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  score INTEGER NOT NULL,"
	"  PRIMARY KEY (proposal_id, reviewer_id, stage, key),"
	"  FOREIGN KEY (proposal_id, reviewer_id, stage) REFERENCES proposal_assignments(proposal_id, reviewer_id, stage)"
	"    ON DELETE CASCADE);"
	"CREATE TABLE proposal_votes ("
	"  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (proposal_id, user_id));"
	"ALTER TABLE notifications ADD COLUMN proposal_id INTEGER;"
	/* the search: search_items takes the kind 'call' (the table rebuilt with
	 * its rows and ids, the index untouched, as in 15), kept by triggers */
	"PRAGMA legacy_alter_table = ON;"
	"DROP VIEW search_fts_text;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_DROP
	"CREATE TABLE search_items_17 ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('user','group','post','reply','document','innovation','call')),"
	"  item_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL DEFAULT '',"
	"  extra TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (kind, item_id));"
	"INSERT INTO search_items_17 (id, kind, item_id, title, body, extra)"
	"  SELECT id, kind, item_id, title, body, extra FROM search_items;"
	"DROP TABLE search_items;"
	"ALTER TABLE search_items_17 RENAME TO search_items;"
	"PRAGMA legacy_alter_table = OFF;"
	"CREATE VIEW search_fts_text AS SELECT id, " SQLITE_FOLD_LIGATURES("title") " AS title, "
	SQLITE_FOLD_LIGATURES("body") " AS body, " SQLITE_FOLD_LIGATURES("extra") " AS extra FROM search_items;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_FOLDED
	SQLITE_SEARCH_CALLS_TRIGGERS,
	/* 18: events and their registrations (issue 20; domain/agenda.c: the
	 * name "events" is also the live stream's, http/events.c). An event
	 * follows the post rule with the visibilities public, members and
	 * group; capacity 0 is unlimited; call_id names a call for proposals
	 * whose accepted proposals will form the programme (no foreign key
	 * yet: calls are built apart). A registration is registered or
	 * waitlisted, the waiting list in order of id. A notification may be
	 * about an event (the promoted member's). search_items is rebuilt
	 * without its CHECK on kind: kinds are written by triggers only, and
	 * capabilities built side by side each add theirs without rebuilding
	 * it again. */
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  starts_at INTEGER NOT NULL,"
	"  ends_at INTEGER NOT NULL,"
	"  place TEXT NOT NULL DEFAULT '',"
	"  url TEXT NOT NULL DEFAULT '',"
	"  room_id INTEGER REFERENCES chat_rooms(id) ON DELETE SET NULL,"
	"  capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),"
	"  visibility TEXT NOT NULL CHECK (visibility IN ('public','members','group')),"
	"  call_id INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  CHECK (ends_at > starts_at));"
	"CREATE INDEX events_starts ON events(starts_at, id);"
	"CREATE INDEX events_ends ON events(ends_at, id);"
	"CREATE INDEX events_group ON events(group_id, starts_at) WHERE group_id IS NOT NULL;"
	"CREATE INDEX events_author ON events(author_id);"
	"CREATE TABLE event_registrations ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL CHECK (state IN ('registered','waitlisted')),"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (event_id, user_id));"
	"CREATE INDEX event_registrations_queue ON event_registrations(event_id, state, id);"
	"CREATE INDEX event_registrations_user ON event_registrations(user_id, event_id);"
	"ALTER TABLE notifications ADD COLUMN event_id INTEGER REFERENCES events(id) ON DELETE CASCADE;"
	"PRAGMA legacy_alter_table = ON;"
	"DROP VIEW search_fts_text;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_DROP
	"CREATE TABLE search_items_18 ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  item_id INTEGER NOT NULL,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL DEFAULT '',"
	"  extra TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (kind, item_id));"
	"INSERT INTO search_items_18 (id, kind, item_id, title, body, extra)"
	"  SELECT id, kind, item_id, title, body, extra FROM search_items;"
	"DROP TABLE search_items;"
	"ALTER TABLE search_items_18 RENAME TO search_items;"
	"PRAGMA legacy_alter_table = OFF;"
	"CREATE VIEW search_fts_text AS SELECT id, " SQLITE_FOLD_LIGATURES("title") " AS title, "
	SQLITE_FOLD_LIGATURES("body") " AS body, " SQLITE_FOLD_LIGATURES("extra") " AS extra FROM search_items;"
	SQLITE_SEARCH_ITEMS_TRIGGERS_FOLDED
	SQLITE_SEARCH_EVENTS_TRIGGERS,
	/* 19: the innovation catalogue's speed (issue 19): the generation of
	 * the records, moved by every write to them, their tags and co-authors
	 * (the facet counts are kept per generation, domain/innovations_list.c);
	 * hidden records (is a member on one's team?); the columns the facets
	 * count and the access rule reads, and each record's tags, read from
	 * indexes alone. */
	"CREATE TABLE innovation_generation (n INTEGER NOT NULL);"
	"INSERT INTO innovation_generation (n) VALUES (1);"
	"CREATE TRIGGER innovation_generation_innovations_i AFTER INSERT ON innovations BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovations_u AFTER UPDATE ON innovations BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovations_d AFTER DELETE ON innovations BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovation_tags_i AFTER INSERT ON innovation_tags BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovation_tags_u AFTER UPDATE ON innovation_tags BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovation_tags_d AFTER DELETE ON innovation_tags BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovation_coauthors_i AFTER INSERT ON innovation_coauthors BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovation_coauthors_u AFTER UPDATE ON innovation_coauthors BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE TRIGGER innovation_generation_innovation_coauthors_d AFTER DELETE ON innovation_coauthors BEGIN"
	"  UPDATE innovation_generation SET n = n + 1; END;"
	"CREATE INDEX innovations_hidden_team ON innovations(coordinator_id) WHERE hidden_at IS NOT NULL;"
	"CREATE INDEX innovations_facets ON innovations(academy, type, support, started_year, visibility, hidden_at,"
	"  coordinator_id);"
	"CREATE INDEX innovation_tags_record ON innovation_tags(innovation_id, kind, value);",
	/* 20: reserved for another branch (a no-op here; the lead puts that
	 * branch's migration in its place when merging) */
	"SELECT 1;",
	/* 21: first-party statistics (issue 24, domain/stats.c): raw events of
	 * members (a pseudonym, never an id or an address; rolled up daily then
	 * removed), members' days (13 months; with the member's previous day
	 * of activity, of creation and of writing (0: none), so that distinct
	 * members of any period are counted without sorting them), anonymous daily counts
	 * (25 months), and a member's objection (stats_optout). */
	"ALTER TABLE users ADD COLUMN stats_optout INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE stats_events ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
	"  pid TEXT,"
	"  academy TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL CHECK (kind IN ('view','signup','post','document','group','reply','comment')),"
	"  route TEXT,"
	"  purpose TEXT CHECK (purpose IN ('pedagogical','administrative','other')));"
	"CREATE INDEX stats_events_day ON stats_events(day);"
	"CREATE INDEX stats_events_pid ON stats_events(pid, day);"
	"CREATE TABLE stats_member_days ("
	"  day INTEGER NOT NULL,"
	"  pid TEXT NOT NULL,"
	"  academy TEXT NOT NULL DEFAULT '',"
	"  views INTEGER NOT NULL DEFAULT 0,"
	"  creations INTEGER NOT NULL DEFAULT 0,"
	"  contributions INTEGER NOT NULL DEFAULT 0,"
	"  visits INTEGER NOT NULL DEFAULT 0,"
	"  visit_seconds INTEGER NOT NULL DEFAULT 0,"
	"  prev_day INTEGER,"
	"  prev_creation INTEGER,"
	"  prev_writing INTEGER,"
	"  PRIMARY KEY (day, pid));"
	"CREATE INDEX stats_member_days_pid ON stats_member_days(pid, day);"
	"CREATE INDEX stats_member_days_first ON stats_member_days(day, prev_day, academy);"
	"CREATE INDEX stats_member_days_writing ON stats_member_days(day, prev_writing, academy)"
	"  WHERE creations > 0 OR contributions > 0;"
	"CREATE INDEX stats_member_days_creating ON stats_member_days(day, prev_creation, academy)"
	"  WHERE creations > 0;"
	"CREATE TABLE stats_daily ("
	"  day INTEGER NOT NULL,"
	"  academy TEXT NOT NULL DEFAULT '',"
	"  metric TEXT NOT NULL,"
	"  key TEXT NOT NULL DEFAULT '',"
	"  value INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (day, academy, metric, key));"
	"CREATE INDEX stats_daily_metric ON stats_daily(metric, day);",
	/* 22: the operators' console (issue 24): suspension (status 'disabled'
	 * with its time and reason), the trainer role, audit entries naming any
	 * kind of item, hidden chat messages, pinned and locked discussions, the
	 * settings generation read by every instance (domain/admin.c) */
	"ALTER TABLE users ADD COLUMN suspended_at INTEGER;"
	"ALTER TABLE users ADD COLUMN suspend_reason TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN trainer INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE audit_log ADD COLUMN item_kind TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE audit_log ADD COLUMN item_id INTEGER;"
	"CREATE INDEX audit_log_item ON audit_log(item_kind, item_id, id);"
	"CREATE INDEX audit_log_target ON audit_log(target_user_id, id);"
	"ALTER TABLE chat_messages ADD COLUMN hidden_at INTEGER;"
	"ALTER TABLE posts ADD COLUMN pinned_at INTEGER;"
	"ALTER TABLE posts ADD COLUMN locked_at INTEGER;"
	"CREATE INDEX documents_hidden ON documents(hidden_at) WHERE hidden_at IS NOT NULL;"
	"CREATE INDEX posts_hidden ON posts(hidden_at) WHERE hidden_at IS NOT NULL;"
	"CREATE INDEX replies_hidden ON replies(hidden_at) WHERE hidden_at IS NOT NULL;"
	"CREATE INDEX document_comments_hidden ON document_comments(hidden_at) WHERE hidden_at IS NOT NULL;"
	"CREATE INDEX chat_messages_hidden ON chat_messages(hidden_at) WHERE hidden_at IS NOT NULL;"
	"CREATE INDEX innovations_hidden ON innovations(hidden_at) WHERE hidden_at IS NOT NULL;"
	"INSERT INTO settings (key, value) VALUES ('site:generation', '0');",
	NULL
};
