#ifndef GPUS_EDITLINE_H
#define GPUS_EDITLINE_H

#include <stddef.h>

/// Non-variadic wrappers over libedit's native API (Swift cannot call el_set / history).
typedef struct gpus_editor gpus_editor;

/// Returns completion text for the line before the cursor: the first line is inserted at the
/// cursor; each further line is a candidate to list. The result is malloc'ed; libedit frees it.
typedef char *(*gpus_completer)(void *client, const char *line_before_cursor);

/// Whether libedit could be loaded (at run time: building needs no libedit headers), and if not why.
int gpus_editor_available(void);
const char *gpus_editor_unavailable_reason(void);
/// NULL when libedit is not available or cannot start.
gpus_editor *gpus_editor_open(const char *program, void *client, gpus_completer completer);
void gpus_editor_close(gpus_editor *editor);
void gpus_editor_set_prompt(gpus_editor *editor, const char *prompt);
/// Reads a line. Returns NULL at end of input (*interrupted = 0) or on Ctrl-C (*interrupted = 1).
const char *gpus_editor_gets(gpus_editor *editor, int *interrupted);
void gpus_editor_history_add(gpus_editor *editor, const char *entry);
int gpus_editor_history_load(gpus_editor *editor, const char *path);
int gpus_editor_history_save(gpus_editor *editor, const char *path);

/// SIGINT, SIGTERM and SIGHUP, one handler for every mode (installed once): SIGINT sets the flag
/// gpus_sigint_take takes; SIGTERM and SIGHUP are recorded (not reset) for gpus_terminate_signal;
/// a read of a line in progress returns; and each signal's number is queued for gpus_signal_next.
/// Returns -1 if the handlers could not be installed.
int gpus_signals_install(void);
/// Blocks until a signal is queued and returns its number (-1 on error).
int gpus_signal_next(void);
int gpus_sigint_take(void);
int gpus_terminate_signal(void);
/// Ends the session as a SIGTERM would, from a thread of the program, with `code` in its place (a
/// limit of the run that passed).
void gpus_terminate_request(int code);
/// Around a blocking read of a line: the thread a SIGTERM or SIGHUP must interrupt.
void gpus_reader_begin(void);
void gpus_reader_end(void);
/// One line of stdin without its newline (malloc'd), or NULL at the end of input or, with
/// *terminated set, when SIGTERM or SIGHUP arrived.
char *gpus_plain_read_line(int *terminated);
/* Whether gpus_plain_read_line would return at once: a whole line is buffered, the input has
   ended, or standard input becomes readable within `milliseconds`. */
int gpus_plain_input_waiting(int milliseconds);


#endif
