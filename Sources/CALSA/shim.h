#include <alsa/asoundlib.h>

/* libasound prints its own errors to stderr ("ALSA lib pcm.c: ... Unknown PCM default"), eight
   lines at every retry on a box without a sound card. Vigil reports a missing device itself,
   once, in its own words: this handler keeps libasound quiet. A C-variadic handler cannot be
   written in Swift, hence these few lines of C. */
static void vigil_alsa_ignore_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void vigil_alsa_quiet(void) { snd_lib_error_set_handler(vigil_alsa_ignore_error); }
