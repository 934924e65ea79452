/* Content-addressed file storage: every stored file is named by the SHA-256
 * of its bytes, so identical files are kept once. Today a folder (FILES/
 * objects/ab/cd/<sha256>) that several instances may share; the interface
 * is what an object store would implement later (put, path to serve,
 * remove). Thumbnails live beside (FILES/thumbs/ab/<sha256>.jpg). */
#ifndef RESPIRE_STORE_BLOBS_H
#define RESPIRE_STORE_BLOBS_H

#include <stddef.h>
#include <stdint.h>

#define BLOB_HEX_LEN 64

/* SHA-256 of a file, as 64 lower-case hex digits in hex[65]. -1 on error. */
int blob_hash_file(const char *path, char hex[BLOB_HEX_LEN + 1]);
/* Moves the temporary file tmp_path (on the same file system as files_dir)
 * into place under the given hash; if the object exists it is replaced by
 * identical bytes. -1 on error (tmp_path is left for the caller). */
int blob_put(const char *files_dir, const char *tmp_path, const char *hex);
/* The local path of an object or of its thumbnail into out; -1 when hex is
 * not a hash or the path does not fit. */
int blob_path(const char *files_dir, const char *hex, char *out, size_t outlen);
int blob_thumb_path(const char *files_dir, const char *hex, char *out, size_t outlen);
/* Creates the folders of an object's or thumbnail's path. */
int blob_make_dirs(const char *path);
/* Removes an object and its thumbnail (absent is fine). */
void blob_remove(const char *files_dir, const char *hex);
/* Seconds since the object was last written, or -1 when it is absent. */
long blob_age(const char *files_dir, const char *hex);
/* Removes upload leftovers in FILES/tmp older than max_age seconds (a
 * server killed in the middle of an upload); returns how many. */
int blob_sweep_tmp(const char *files_dir, long max_age);
/* Is the filesystem holding dir (nearly) full: less than BLOB_SPACE_LOW bytes
 * left for unprivileged writers? 0 too when it cannot be told. */
#define BLOB_SPACE_LOW ((unsigned long long)1024 * 1024)
int blob_space_low(const char *dir);
/* Is s a 64-digit lower-case hex hash? */
int blob_hex_ok(const char *s);

#endif
