/*
 * raw_baseline.h — the catalog's work done in plain C with liblmdb and libsodium.
 *
 * This is the reference the catalog is measured against: the least work that the same bytes can
 * cost. Records are shaped like the catalog's (docs/format.md): a 304-byte record keyed by a 16-byte
 * id, a name index `workspace \0 name -> id`, and a 16-character external ID sealed with
 * XChaCha20-Poly1305 IETF (24-byte nonce, 60 bytes of additional data binding it to its record).
 *
 * Every function returns 0 or an error code: an LMDB or libsodium failure, or one of RB_* below;
 * rb_strerror() names it. An environment is used by one thread at a time, except
 * rb_create_concurrent(), which starts its own writers.
 */
#ifndef RAW_BASELINE_H
#define RAW_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    RB_ID_BYTES = 16,
    RB_RECORD_BYTES = 304,          /* the whole record, as stored in LMDB */
    RB_PLAIN_BYTES = 244,           /* the record without its sealed part (the SQLite `record` column) */
    RB_SEALED_BYTES = 60,           /* key id (4) + nonce (24) + ciphertext (16) + tag (16) */
    RB_EXTERNAL_ID_BYTES = 16,
    RB_AD_BYTES = 60,
    RB_MAX_WORKSPACE = 31,
    RB_MAX_NAME = 63,
};

/* Error codes of this library; LMDB's are negative from -30799, errno values are positive. */
enum {
    RB_NOT_FOUND = -1001,           /* no connection of that name */
    RB_CORRUPT = -1002,             /* a record or sealed value that does not parse */
    RB_OPEN_FAILED = -1003,         /* the sealed value does not authenticate */
    RB_SODIUM_INIT = -1004,
    RB_THREAD = -1005,
};

/* One LMDB environment with the records and names databases. Opaque. */
typedef struct rb_env rb_env;

/* A connection generated from its index: the same index always gives the same identity. */
typedef struct rb_identity {
    uint8_t id[RB_ID_BYTES];
    char workspace[RB_MAX_WORKSPACE + 1];
    size_t workspace_len;
    char name[RB_MAX_NAME + 1];
    size_t name_len;
} rb_identity;

/* A connection ready to store: its identity, its record, and its sealed external ID. */
typedef struct rb_connection {
    rb_identity identity;
    uint8_t record[RB_RECORD_BYTES]; /* the first RB_PLAIN_BYTES are the plain part */
    uint8_t sealed[RB_SEALED_BYTES]; /* the same bytes as record[RB_PLAIN_BYTES...] */
} rb_connection;

/* Initialises libsodium and the process's sealing key. Call once before anything else. */
int rb_init(void);

/* A short message for a code this library returned. */
const char *rb_strerror(int rc);

/* The identity of connection `index`: id, workspace ("ws00".."ws15") and name. */
void rb_identity_for(uint64_t index, rb_identity *out);

/* Builds connection `index` and seals a fresh external ID into it (random nonce). */
int rb_connection_make(uint64_t index, rb_connection *out);

/* Opens a sealed value (RB_SEALED_BYTES) of the connection with `id` in `workspace`. */
int rb_open_sealed(const uint8_t *sealed, size_t sealed_len, const uint8_t id[RB_ID_BYTES],
                   const char *workspace, size_t workspace_len, uint8_t out[RB_EXTERNAL_ID_BYTES]);

/* Opens (creating) an environment in the existing directory `path`, map of `map_size` bytes. */
int rb_env_open(const char *path, size_t map_size, rb_env **out);
void rb_env_close(rb_env *env);

/* Creates connections first..first+count-1; `batch` records per synced transaction, 0 for one. */
int rb_load(rb_env *env, uint64_t first, uint64_t count, uint32_t batch);

/* Creates connections first..first+count-1 in one synced transaction, sealing each. */
int rb_create_batch(rb_env *env, uint64_t first, uint32_t count);

/* Creates connection `index` in its own synced transaction: the autocommitted create. */
int rb_create_one(rb_env *env, uint64_t index);

/* `writers` threads each create `per_writer` connections, one synced transaction each, starting at
   `first`; LMDB serializes them. */
int rb_create_concurrent(rb_env *env, uint64_t first, uint32_t writers, uint32_t per_writer);

/* DESC: name -> id -> record -> open the sealed external ID into `out`. One read transaction. */
int rb_get_with_open(rb_env *env, const char *workspace, size_t workspace_len, const char *name,
                     size_t name_len, uint8_t out[RB_EXTERNAL_ID_BYTES]);

/* SHOW ... LIKE '%needle%': scans the whole name index; for each matching name (ASCII case-insensitive
   substring) gets its record, checked as rb_get_with_open checks it, since a listing shows fields of the
   record; counts the matches and adds up the name and record lengths. */
int rb_show_like(rb_env *env, const char *needle, size_t needle_len, uint64_t *matches,
                 uint64_t *matched_bytes);

/* Number of records in the environment. */
int rb_count(rb_env *env, uint64_t *out);

/* Backup's storage work: a compacted copy of the environment from one snapshot (mdb_env_copyfd2 with
   MDB_CP_COMPACT) into the new file `path` (created 0600, must not exist), synced; its size in `bytes`.
   On failure the file is removed. */
int rb_backup(rb_env *env, const char *path, uint64_t *bytes);

#ifdef __cplusplus
}
#endif
#endif
