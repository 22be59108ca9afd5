/*
 * raw_baseline.c — see include/raw_baseline.h. Plain C on purpose: this is the floor the catalog is
 * compared with, so it does exactly the catalog's storage and sealing work and nothing else.
 */
#include "raw_baseline.h"

#include <lmdb.h>
#include <pthread.h>
#include <sodium.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Record layout (304 bytes), offsets in bytes. */
enum {
    OFF_MAGIC = 0,
    OFF_ID = 4,
    OFF_WS_LEN = 20,
    OFF_WS = 21,
    OFF_NAME_LEN = 52,
    OFF_NAME = 53,
    OFF_PROPERTIES = 116,
    PROPERTIES_BYTES = 128,
    OFF_SEALED = RB_PLAIN_BYTES, /* 244: key id, nonce, ciphertext + tag */
    SEALED_NONCE = 4,
    SEALED_CIPHERTEXT = 4 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
    AD_LABEL_BYTES = 16,
    AD_WS_BYTES = 24,
};

_Static_assert(OFF_SEALED + RB_SEALED_BYTES == RB_RECORD_BYTES, "record layout");
_Static_assert(SEALED_CIPHERTEXT + RB_EXTERNAL_ID_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES == RB_SEALED_BYTES,
               "sealed layout");
_Static_assert(AD_LABEL_BYTES + RB_ID_BYTES + 4 + AD_WS_BYTES == RB_AD_BYTES, "additional data layout");

static const uint32_t record_magic = 0x31524343u; /* "CCR1" little-endian */
static const uint32_t sealing_key_id = 1;
static uint8_t sealing_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];

struct rb_env {
    MDB_env *env;
    MDB_dbi records;
    MDB_dbi names;
    MDB_txn *read_txn; /* reset between reads and renewed, as a careful LMDB user does */
};

int rb_init(void) {
    if (sodium_init() < 0) return RB_SODIUM_INIT;
    crypto_aead_xchacha20poly1305_ietf_keygen(sealing_key);
    return 0;
}

const char *rb_strerror(int rc) {
    switch (rc) {
    case RB_NOT_FOUND: return "raw baseline: no connection of that name";
    case RB_CORRUPT: return "raw baseline: record does not parse";
    case RB_OPEN_FAILED: return "raw baseline: sealed value does not authenticate";
    case RB_SODIUM_INIT: return "raw baseline: sodium_init failed";
    case RB_THREAD: return "raw baseline: could not start a writer thread";
    default: return mdb_strerror(rc);
    }
}

/* splitmix64: cheap, deterministic bytes derived from a connection's index. */
static uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static const char *const name_prefixes[8] = {"sales", "finance", "marketing", "ops",
                                             "analytics", "risk", "supply", "people"};
static const char *const name_kinds[4] = {"lake", "warehouse", "bucket", "stream"};

void rb_identity_for(uint64_t index, rb_identity *out) {
    uint64_t h = mix(index);
    for (int i = 0; i < 8; i++) out->id[i] = (uint8_t)(index >> (56 - 8 * i)); /* ids sort by creation */
    for (int i = 0; i < 8; i++) out->id[8 + i] = (uint8_t)(h >> (8 * i));
    int n = snprintf(out->workspace, sizeof out->workspace, "ws%02u", (unsigned)(h % 16));
    out->workspace_len = (size_t)n;
    n = snprintf(out->name, sizeof out->name, "%s_%s_%07llu", name_prefixes[index % 8],
                 name_kinds[(h >> 8) % 4], (unsigned long long)index);
    if ((index / 8) % 3 == 0) out->name[0] = (char)(out->name[0] - 'a' + 'A'); /* mixed case for LIKE */
    out->name_len = (size_t)n;
}

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* label (16) | id (16) | key id (4) | workspace, zero-padded (24) */
static int additional_data(uint8_t ad[RB_AD_BYTES], const uint8_t id[RB_ID_BYTES], uint32_t key_id,
                           const char *workspace, size_t workspace_len) {
    if (workspace_len > AD_WS_BYTES) return RB_CORRUPT;
    memcpy(ad, "catalog/extid/v1", AD_LABEL_BYTES);
    memcpy(ad + AD_LABEL_BYTES, id, RB_ID_BYTES);
    put_u32(ad + AD_LABEL_BYTES + RB_ID_BYTES, key_id);
    memset(ad + AD_LABEL_BYTES + RB_ID_BYTES + 4, 0, AD_WS_BYTES);
    memcpy(ad + AD_LABEL_BYTES + RB_ID_BYTES + 4, workspace, workspace_len);
    return 0;
}

int rb_connection_make(uint64_t index, rb_connection *out) {
    rb_identity *who = &out->identity;
    rb_identity_for(index, who);
    uint8_t *r = out->record;
    memset(r, 0, RB_RECORD_BYTES);
    put_u32(r + OFF_MAGIC, record_magic);
    memcpy(r + OFF_ID, who->id, RB_ID_BYTES);
    r[OFF_WS_LEN] = (uint8_t)who->workspace_len;
    memcpy(r + OFF_WS, who->workspace, who->workspace_len);
    r[OFF_NAME_LEN] = (uint8_t)who->name_len;
    memcpy(r + OFF_NAME, who->name, who->name_len);
    snprintf((char *)r + OFF_PROPERTIES, PROPERTIES_BYTES,
             "provider=aliyun;region=cn-hangzhou;endpoint=oss-cn-hangzhou.aliyuncs.com;"
             "role_arn=acs:ram::1234567890%06llu:role/lake",
             (unsigned long long)(index % 1000000));

    /* The secret: a 16-character external ID, sealed under a fresh random nonce. */
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uint8_t external_id[RB_EXTERNAL_ID_BYTES];
    uint64_t h = mix(index ^ 0x5EC2E7ull), g = mix(h);
    for (int i = 0; i < 8; i++) external_id[i] = (uint8_t)alphabet[(h >> (5 * i)) & 31];
    for (int i = 0; i < 8; i++) external_id[8 + i] = (uint8_t)alphabet[(g >> (5 * i)) & 31];

    uint8_t *s = r + OFF_SEALED;
    put_u32(s, sealing_key_id);
    randombytes_buf(s + SEALED_NONCE, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    uint8_t ad[RB_AD_BYTES];
    int rc = additional_data(ad, who->id, sealing_key_id, who->workspace, who->workspace_len);
    if (rc) return rc;
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(s + SEALED_CIPHERTEXT, &clen, external_id, sizeof external_id, ad,
                                               sizeof ad, NULL, s + SEALED_NONCE, sealing_key);
    sodium_memzero(external_id, sizeof external_id);
    memcpy(out->sealed, s, RB_SEALED_BYTES);
    return 0;
}

int rb_open_sealed(const uint8_t *sealed, size_t sealed_len, const uint8_t id[RB_ID_BYTES], const char *workspace,
                   size_t workspace_len, uint8_t out[RB_EXTERNAL_ID_BYTES]) {
    if (sealed_len != RB_SEALED_BYTES) return RB_CORRUPT;
    uint32_t key_id = get_u32(sealed);
    if (key_id != sealing_key_id) return RB_OPEN_FAILED;
    uint8_t ad[RB_AD_BYTES];
    int rc = additional_data(ad, id, key_id, workspace, workspace_len);
    if (rc) return rc;
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL, sealed + SEALED_CIPHERTEXT,
                                                   RB_SEALED_BYTES - SEALED_CIPHERTEXT, ad, sizeof ad,
                                                   sealed + SEALED_NONCE, sealing_key) != 0)
        return RB_OPEN_FAILED;
    return mlen == RB_EXTERNAL_ID_BYTES ? 0 : RB_CORRUPT;
}

int rb_env_open(const char *path, size_t map_size, rb_env **out) {
    rb_env *e = calloc(1, sizeof *e);
    if (!e) return ENOMEM;
    int rc = mdb_env_create(&e->env);
    if (rc) goto fail;
    if ((rc = mdb_env_set_maxdbs(e->env, 4)) || (rc = mdb_env_set_mapsize(e->env, map_size)) ||
        (rc = mdb_env_set_maxreaders(e->env, 126)) || (rc = mdb_env_open(e->env, path, MDB_NOTLS, 0600)))
        goto fail;
    MDB_txn *txn;
    if ((rc = mdb_txn_begin(e->env, NULL, 0, &txn))) goto fail;
    if ((rc = mdb_dbi_open(txn, "records", MDB_CREATE, &e->records)) ||
        (rc = mdb_dbi_open(txn, "names", MDB_CREATE, &e->names))) {
        mdb_txn_abort(txn);
        goto fail;
    }
    if ((rc = mdb_txn_commit(txn))) goto fail;
    *out = e;
    return 0;
fail:
    if (e->env) mdb_env_close(e->env);
    free(e);
    return rc;
}

void rb_env_close(rb_env *e) {
    if (!e) return;
    if (e->read_txn) mdb_txn_abort(e->read_txn);
    mdb_env_close(e->env);
    free(e);
}

/* Puts one connection: the record under its id, and its name in the index. */
static int put_connection(rb_env *e, MDB_txn *txn, const rb_connection *c) {
    const rb_identity *who = &c->identity;
    char name_key[RB_MAX_WORKSPACE + 1 + RB_MAX_NAME];
    memcpy(name_key, who->workspace, who->workspace_len);
    name_key[who->workspace_len] = '\0';
    memcpy(name_key + who->workspace_len + 1, who->name, who->name_len);
    MDB_val id = {RB_ID_BYTES, (void *)who->id};
    MDB_val record = {RB_RECORD_BYTES, (void *)c->record};
    MDB_val name = {who->workspace_len + 1 + who->name_len, name_key};
    int rc = mdb_put(txn, e->names, &name, &id, MDB_NOOVERWRITE);
    if (rc) return rc;
    return mdb_put(txn, e->records, &id, &record, MDB_NOOVERWRITE);
}

static int create_range(rb_env *e, uint64_t first, uint64_t count) {
    MDB_txn *txn;
    int rc = mdb_txn_begin(e->env, NULL, 0, &txn);
    if (rc) return rc;
    rb_connection c;
    for (uint64_t i = first; i < first + count; i++) {
        if ((rc = rb_connection_make(i, &c)) || (rc = put_connection(e, txn, &c))) {
            mdb_txn_abort(txn);
            return rc;
        }
    }
    return mdb_txn_commit(txn);
}

int rb_load(rb_env *e, uint64_t first, uint64_t count, uint32_t batch) {
    uint64_t step = batch ? batch : count;
    for (uint64_t at = first; at < first + count; at += step) {
        uint64_t n = first + count - at < step ? first + count - at : step;
        int rc = create_range(e, at, n);
        if (rc) return rc;
    }
    return 0;
}

int rb_create_batch(rb_env *e, uint64_t first, uint32_t count) { return create_range(e, first, count); }

int rb_create_one(rb_env *e, uint64_t index) { return create_range(e, index, 1); }

struct writer {
    rb_env *env;
    uint64_t first;
    uint32_t count;
    int rc;
};

static void *write_some(void *arg) {
    struct writer *w = arg;
    for (uint32_t i = 0; i < w->count && w->rc == 0; i++) w->rc = rb_create_one(w->env, w->first + i);
    return NULL;
}

int rb_create_concurrent(rb_env *e, uint64_t first, uint32_t writers, uint32_t per_writer) {
    if (writers == 0 || writers > 64) return EINVAL;
    pthread_t threads[64];
    struct writer work[64];
    uint32_t started = 0;
    int rc = 0;
    for (; started < writers; started++) {
        work[started] = (struct writer){e, first + (uint64_t)started * per_writer, per_writer, 0};
        if (pthread_create(&threads[started], NULL, write_some, &work[started]) != 0) {
            rc = RB_THREAD;
            break;
        }
    }
    for (uint32_t i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        if (!rc) rc = work[i].rc;
    }
    return rc;
}

static int begin_read(rb_env *e, MDB_txn **txn) {
    int rc = e->read_txn ? mdb_txn_renew(e->read_txn) : mdb_txn_begin(e->env, NULL, MDB_RDONLY, &e->read_txn);
    *txn = e->read_txn;
    return rc;
}

int rb_get_with_open(rb_env *e, const char *workspace, size_t workspace_len, const char *name, size_t name_len,
                     uint8_t out[RB_EXTERNAL_ID_BYTES]) {
    if (workspace_len > RB_MAX_WORKSPACE || name_len > RB_MAX_NAME) return RB_NOT_FOUND;
    char name_key[RB_MAX_WORKSPACE + 1 + RB_MAX_NAME];
    memcpy(name_key, workspace, workspace_len);
    name_key[workspace_len] = '\0';
    memcpy(name_key + workspace_len + 1, name, name_len);
    MDB_val key = {workspace_len + 1 + name_len, name_key}, id, record;

    MDB_txn *txn;
    int rc = begin_read(e, &txn);
    if (rc) return rc;
    rc = mdb_get(txn, e->names, &key, &id);
    if (rc == 0 && id.mv_size != RB_ID_BYTES) rc = RB_CORRUPT;
    if (rc == 0) rc = mdb_get(txn, e->records, &id, &record);
    if (rc == 0) {
        const uint8_t *r = record.mv_data;
        if (record.mv_size != RB_RECORD_BYTES || get_u32(r + OFF_MAGIC) != record_magic ||
            r[OFF_WS_LEN] > RB_MAX_WORKSPACE)
            rc = RB_CORRUPT;
        else
            rc = rb_open_sealed(r + OFF_SEALED, RB_SEALED_BYTES, r + OFF_ID, (const char *)r + OFF_WS,
                                r[OFF_WS_LEN], out);
    }
    mdb_txn_reset(txn);
    return rc == MDB_NOTFOUND ? RB_NOT_FOUND : rc;
}

static unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c; }

/* ASCII case-insensitive substring test; `needle` is already lower case. */
static int contains(const unsigned char *hay, size_t hay_len, const unsigned char *needle, size_t needle_len) {
    if (needle_len == 0) return 1;
    for (size_t i = 0; i + needle_len <= hay_len; i++) {
        if (lower(hay[i]) != needle[0]) continue;
        size_t j = 1;
        while (j < needle_len && lower(hay[i + j]) == needle[j]) j++;
        if (j == needle_len) return 1;
    }
    return 0;
}

int rb_show_like(rb_env *e, const char *needle, size_t needle_len, uint64_t *matches, uint64_t *matched_bytes) {
    unsigned char folded[RB_MAX_NAME];
    if (needle_len > RB_MAX_NAME) return EINVAL;
    for (size_t i = 0; i < needle_len; i++) folded[i] = lower((unsigned char)needle[i]);

    MDB_txn *txn;
    int rc = begin_read(e, &txn);
    if (rc) return rc;
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open(txn, e->names, &cursor))) {
        mdb_txn_reset(txn);
        return rc;
    }
    uint64_t count = 0, bytes = 0;
    MDB_val key, value;
    for (rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
        const unsigned char *k = key.mv_data;
        const unsigned char *zero = memchr(k, 0, key.mv_size);
        if (!zero) continue;
        const unsigned char *name = zero + 1;
        size_t name_len = key.mv_size - (size_t)(name - k);
        if (!contains(name, name_len, folded, needle_len)) continue;
        /* A listing shows fields of the record, so a match costs its record too, checked as a get checks it. */
        MDB_val record;
        int found = value.mv_size == RB_ID_BYTES ? mdb_get(txn, e->records, &value, &record) : RB_CORRUPT;
        if (found == 0 && (record.mv_size != RB_RECORD_BYTES ||
                           get_u32((const uint8_t *)record.mv_data + OFF_MAGIC) != record_magic))
            found = RB_CORRUPT;
        if (found) {
            rc = found == MDB_NOTFOUND ? RB_CORRUPT : found;
            break;
        }
        count++;
        bytes += name_len + record.mv_size;
    }
    mdb_cursor_close(cursor);
    mdb_txn_reset(txn);
    if (rc != MDB_NOTFOUND) return rc;
    *matches = count;
    *matched_bytes = bytes;
    return 0;
}

int rb_count(rb_env *e, uint64_t *out) {
    MDB_txn *txn;
    int rc = begin_read(e, &txn);
    if (rc) return rc;
    MDB_stat st;
    rc = mdb_stat(txn, e->records, &st);
    mdb_txn_reset(txn);
    if (rc == 0) *out = st.ms_entries;
    return rc;
}

int rb_backup(rb_env *e, const char *path, uint64_t *bytes) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    int rc = mdb_env_copyfd2(e->env, fd, MDB_CP_COMPACT);
    if (rc == 0 && fsync(fd) != 0) rc = errno;
    off_t size = rc == 0 ? lseek(fd, 0, SEEK_END) : 0;
    if (rc == 0 && size < 0) rc = errno;
    if (close(fd) != 0 && rc == 0) rc = errno;
    if (rc) {
        unlink(path);
        return rc;
    }
    *bytes = (uint64_t)size;
    return 0;
}
