/* Thumbnails: a small JPEG preview of an image (libgd) or a poster frame of
 * a film (ffmpeg, when installed). Slow work: only the background media
 * worker calls these, never a request. */
#ifndef RESPIRE_UTIL_THUMB_H
#define RESPIRE_UTIL_THUMB_H

#define THUMB_WIDTH 480
#define THUMB_MAX_PIXELS (50L * 1000 * 1000)

/* Width and height from the header of a PNG, JPEG, GIF or WebP file; -1
 * when the file is not one of them or is malformed. */
int image_dimensions(const char *path, long *w, long *h);
/* Writes a JPEG thumbnail of the image src (of MIME type mime) to dst.
 * -1 when it cannot be made (unknown type, too many pixels, bad file). */
int thumb_image(const char *src, const char *mime, const char *dst);
/* Is ffmpeg installed (looked up once)? */
int thumb_have_ffmpeg(void);
/* Writes a poster frame of the film src to dst (JPEG), within 60 s. */
int thumb_video(const char *src, const char *dst);

#endif
