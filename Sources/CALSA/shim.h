#include <alsa/asoundlib.h>
#include <stdarg.h>
#include <stdio.h>

/* libasound prints its own errors to stderr ("ALSA lib pcm.c: ... Unknown PCM default"), eight
   lines at every retry on a box without a sound card. Vigil reports a missing device itself,
   once, in its own words; libasound's lines go to Vigil's log instead, at debug level, through
   `sink`. A C-variadic handler cannot be written in Swift, hence these few lines of C. */
typedef void (*vigil_alsa_sink)(const char *line);
/* A function's static: Swift's importer emits functions from a header, not its global variables. */
static inline vigil_alsa_sink *vigil_alsa_sink_slot(void) {
    static vigil_alsa_sink sink;
    return &sink;
}

static void vigil_alsa_forward(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    vigil_alsa_sink sink = *vigil_alsa_sink_slot();
    if (!sink) return;
    char text[512], out[768];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    snprintf(out, sizeof out, "%s:%d (%s) %s%s%s", file, line, function, text, err ? ": " : "", err ? snd_strerror(err) : "");
    sink(out);
}

static inline void vigil_alsa_route(vigil_alsa_sink sink) {
    *vigil_alsa_sink_slot() = sink;
    snd_lib_error_set_handler(vigil_alsa_forward);
}
