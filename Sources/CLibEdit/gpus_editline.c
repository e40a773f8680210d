#include "gpus_editline.h"

#include "libedit_abi.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * libedit, loaded on first use: libedit.so.2 on Linux (installed wherever the Swift toolchain is,
 * since lldb needs it), libedit.3.dylib on macOS, or the file GPUS_LIBEDIT names. Building needs
 * neither its headers nor its development symlink; without the library the REPL reads plain lines.
 */
static struct {
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    const char *(*el_gets)(EditLine *, int *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    const LineInfo *(*el_line)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    void (*el_push)(EditLine *, const char *);
    void (*el_resize)(EditLine *);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} gpus_libedit;

static pthread_once_t gpus_libedit_once = PTHREAD_ONCE_INIT;
static int gpus_libedit_loaded = 0;
static char gpus_libedit_problem[512] = "";

static void gpus_libedit_load_once(void) {
    const char *chosen = getenv("GPUS_LIBEDIT");
    const char *candidates[] = {"libedit.so.2", "libedit.3.dylib", "libedit.so", "libedit.dylib"};
    void *library = NULL;
    if (chosen && chosen[0]) {
        library = dlopen(chosen, RTLD_NOW | RTLD_LOCAL);
    } else {
        for (size_t index = 0; !library && index < sizeof candidates / sizeof candidates[0]; index++) {
            library = dlopen(candidates[index], RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (!library) {
        const char *reason = dlerror();
        snprintf(gpus_libedit_problem, sizeof gpus_libedit_problem, "%s", reason ? reason : "libedit not found");
        return;
    }
#define GPUS_LOAD(name)                                                                                        \
    do {                                                                                                       \
        *(void **)(&gpus_libedit.name) = dlsym(library, #name);                                               \
        if (!gpus_libedit.name) {                                                                              \
            snprintf(gpus_libedit_problem, sizeof gpus_libedit_problem, "libedit lacks %s", #name);            \
            return;                                                                                            \
        }                                                                                                      \
    } while (0)
    GPUS_LOAD(el_init);
    GPUS_LOAD(el_end);
    GPUS_LOAD(el_gets);
    GPUS_LOAD(el_set);
    GPUS_LOAD(el_get);
    GPUS_LOAD(el_line);
    GPUS_LOAD(el_insertstr);
    GPUS_LOAD(el_push);
    GPUS_LOAD(el_resize);
    GPUS_LOAD(history_init);
    GPUS_LOAD(history_end);
    GPUS_LOAD(history);
#undef GPUS_LOAD
    gpus_libedit_loaded = 1;
}

int gpus_editor_available(void) {
    pthread_once(&gpus_libedit_once, gpus_libedit_load_once);
    return gpus_libedit_loaded;
}

const char *gpus_editor_unavailable_reason(void) {
    pthread_once(&gpus_libedit_once, gpus_libedit_load_once);
    return gpus_libedit_loaded ? NULL : gpus_libedit_problem;
}

struct gpus_editor {
    EditLine *el;
    History *history;
    HistEvent event;
    char *prompt;
    void *client;
    gpus_completer completer;
};

static volatile sig_atomic_t gpus_sigint_flag = 0;
/* SIGCONT came (after Ctrl-Z, `fg`): the prompt is drawn again with what was typed. */
static volatile sig_atomic_t gpus_continued_flag = 0;

static void gpus_wake_reader(void);
static void gpus_signal_queue(int number);

static volatile sig_atomic_t gpus_terminate_flag = 0;

/* The thread blocked reading a line, if any. A process-directed signal interrupts only the thread
   it is delivered to, so the waker thread interrupts the reader with SIGUSR1 until it returns
   (libedit retries a read interrupted once). */
static pthread_t gpus_reader;
static volatile sig_atomic_t gpus_reading = 0;
/* Which read is in progress: a wake-up is for the read that was in progress when the signal came,
   never for the next one. */
static volatile sig_atomic_t gpus_read_number = 0;
static volatile sig_atomic_t gpus_wake_for = -1;
static int gpus_wake_pipe[2] = {-1, -1};

/* Async-signal-safe: records which read to end and wakes the waker thread. */
static void gpus_wake_reader(void) {
    if (!gpus_reading || gpus_wake_pipe[1] < 0) return;
    gpus_wake_for = gpus_read_number;
    char byte = 1;
    ssize_t written = write(gpus_wake_pipe[1], &byte, 1);
    (void)written;
}

static void gpus_nothing_handler(int signal_number) { (void)signal_number; }

static void *gpus_waker(void *unused) {
    (void)unused;
    char byte;
    for (;;) {
        if (read(gpus_wake_pipe[0], &byte, 1) != 1) continue;
        for (int round = 0; round < 500 && gpus_reading && gpus_read_number == gpus_wake_for; round++) {
            pthread_kill(gpus_reader, SIGUSR1);
            usleep(10000);
        }
    }
    return NULL;
}

void gpus_reader_begin(void) {
    /* Worker threads of libdispatch block asynchronous signals: let SIGUSR1 through. */
    sigset_t wake;
    sigemptyset(&wake);
    sigaddset(&wake, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
    gpus_reader = pthread_self();
    gpus_read_number = gpus_read_number + 1;
    gpus_reading = 1;
}

void gpus_reader_end(void) { gpus_reading = 0; }

/* Lines read from stdin without line editing, with read(2): a SIGTERM or SIGHUP ends the wait
   (stdio's getline retries an interrupted read). */
static char *gpus_plain_buffer = NULL;
static size_t gpus_plain_length = 0;
static size_t gpus_plain_capacity = 0;
static int gpus_plain_eof = 0;

static char *gpus_plain_take(size_t length, size_t skip) {
    char *line = malloc(length + 1);
    if (!line) return NULL;
    memcpy(line, gpus_plain_buffer, length);
    line[length] = 0;
    memmove(gpus_plain_buffer, gpus_plain_buffer + length + skip, gpus_plain_length - length - skip);
    gpus_plain_length -= length + skip;
    return line;
}

char *gpus_plain_read_line(int *terminated) {
    *terminated = 0;
    for (;;) {
        char *newline = gpus_plain_length ? memchr(gpus_plain_buffer, '\n', gpus_plain_length) : NULL;
        if (newline) return gpus_plain_take((size_t)(newline - gpus_plain_buffer), 1);
        if (gpus_terminate_flag) {
            *terminated = 1;
            return NULL;
        }
        if (gpus_plain_eof) return gpus_plain_length ? gpus_plain_take(gpus_plain_length, 0) : NULL;
        if (gpus_plain_capacity - gpus_plain_length < 4096) {
            size_t capacity = gpus_plain_capacity ? gpus_plain_capacity * 2 : 8192;
            char *grown = realloc(gpus_plain_buffer, capacity);
            if (!grown) return NULL;
            gpus_plain_buffer = grown;
            gpus_plain_capacity = capacity;
        }
        gpus_reader_begin();
        ssize_t count = read(0, gpus_plain_buffer + gpus_plain_length, gpus_plain_capacity - gpus_plain_length);
        gpus_reader_end();
        if (count > 0) {
            gpus_plain_length += (size_t)count;
        } else if (count == 0 || errno != EINTR) {
            gpus_plain_eof = 1;
        }
    }
}

int gpus_plain_input_waiting(int milliseconds) {
    if (gpus_plain_eof || (gpus_plain_length && memchr(gpus_plain_buffer, '\n', gpus_plain_length))) return 1;
    struct pollfd descriptor = {.fd = 0, .events = POLLIN};
    int ready;
    do {
        ready = poll(&descriptor, 1, milliseconds);
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
}

int gpus_terminate_signal(void) { return gpus_terminate_flag; }

void gpus_terminate_request(int code) {
    gpus_terminate_flag = code;
    gpus_wake_reader();
    gpus_signal_queue(code);
}

int gpus_sigint_take(void) {
    int value = gpus_sigint_flag;
    gpus_sigint_flag = 0;
    return value;
}

static char *gpus_prompt(EditLine *el) {
    gpus_editor *editor = NULL;
    gpus_libedit.el_get(el, EL_CLIENTDATA, &editor);
    return editor && editor->prompt ? editor->prompt : "> ";
}

static unsigned char gpus_complete(EditLine *el, int ch) {
    (void)ch;
    gpus_editor *editor = NULL;
    gpus_libedit.el_get(el, EL_CLIENTDATA, &editor);
    if (!editor || !editor->completer) return CC_ERROR;
    const LineInfo *info = gpus_libedit.el_line(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    char *before = malloc(length + 1);
    if (!before) return CC_ERROR;
    memcpy(before, info->buffer, length);
    before[length] = 0;
    char *result = editor->completer(editor->client, before);
    free(before);
    if (!result) return CC_ERROR;
    char *newline = strchr(result, '\n');
    if (newline) *newline = 0;
    unsigned char status = CC_REFRESH;
    if (result[0]) gpus_libedit.el_insertstr(el, result);
    if (newline && newline[1]) {
        fprintf(stdout, "\n%s\n", newline + 1);
        fflush(stdout);
        status = CC_REDISPLAY;
    } else if (!result[0]) {
        status = CC_ERROR;
    }
    free(result);
    return status;
}

gpus_editor *gpus_editor_open(const char *program, void *client, gpus_completer completer) {
    if (!gpus_editor_available()) return NULL;
    if (!setlocale(LC_CTYPE, "")) setlocale(LC_CTYPE, "C.UTF-8");
    gpus_editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->client = client;
    editor->completer = completer;
    editor->el = gpus_libedit.el_init(program, stdin, stdout, stderr);
    editor->history = gpus_libedit.history_init();
    if (!editor->el || !editor->history) {
        gpus_editor_close(editor);
        return NULL;
    }
    gpus_libedit.history(editor->history, &editor->event, H_SETSIZE, 1000);
    gpus_libedit.history(editor->history, &editor->event, H_SETUNIQUE, 1);
    gpus_libedit.el_set(editor->el, EL_CLIENTDATA, editor);
    gpus_libedit.el_set(editor->el, EL_EDITOR, "emacs");
    /* libedit's own signal handling stays off: its handler passes SIGINT, SIGTERM and SIGHUP on to
       the whole process group (kill(0, signo): a SIGTERM to gpus ended the script that started it
       too) and dereferences a NULL editor when a signal races its restoring (a segfault on SIGTERM
       at the prompt). gpus handles those three itself (gpus_signals_install); the window size is
       read again before each line (el_resize). */
    gpus_libedit.el_set(editor->el, EL_SIGNAL, 0);
    gpus_libedit.el_set(editor->el, EL_PROMPT, gpus_prompt);
    gpus_libedit.el_set(editor->el, EL_HIST, gpus_libedit.history, editor->history);
    gpus_libedit.el_set(editor->el, EL_ADDFN, "gpus-complete", "complete", gpus_complete);
    gpus_libedit.el_set(editor->el, EL_BIND, "^I", "gpus-complete", NULL);
    gpus_libedit.el_set(editor->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    return editor;
}

void gpus_editor_close(gpus_editor *editor) {
    if (!editor) return;
    if (editor->el) gpus_libedit.el_end(editor->el);
    if (editor->history) gpus_libedit.history_end(editor->history);
    free(editor->prompt);
    free(editor);
}

void gpus_editor_set_prompt(gpus_editor *editor, const char *prompt) {
    free(editor->prompt);
    editor->prompt = strdup(prompt);
}

const char *gpus_editor_gets(gpus_editor *editor, int *interrupted) {
    int count = 0;
    gpus_sigint_take();
    if (gpus_terminate_flag) return NULL;
    const char *line;
    for (;;) {
        gpus_continued_flag = 0;
        gpus_libedit.el_resize(editor->el);
        gpus_reader_begin();
        line = gpus_libedit.el_gets(editor->el, &count);
        gpus_reader_end();
        if (line || !gpus_continued_flag || gpus_sigint_flag || gpus_terminate_flag) break;
        /* Continued after a stop: the shell has written over the line and may have reset the
           terminal. Read again (libedit sets the terminal up and draws the prompt), with what was
           typed given back as typed input. */
        const LineInfo *info = gpus_libedit.el_line(editor->el);
        size_t length = info && info->lastchar >= info->buffer ? (size_t)(info->lastchar - info->buffer) : 0;
        char *typed = malloc(length + 1);
        if (!typed) break;
        /* Pushed input is read as keys: a control character (a tab put in with Ctrl-V) would be a
           command, so it is left out. */
        size_t kept = 0;
        for (size_t index = 0; index < length; index++) {
            unsigned char byte = (unsigned char)info->buffer[index];
            if (byte >= 0x20 && byte != 0x7F) typed[kept++] = (char)byte;
        }
        length = kept;
        typed[length] = 0;
        if (length) gpus_libedit.el_push(editor->el, typed);
        free(typed);
    }
    *interrupted = gpus_sigint_take();
    if (*interrupted || gpus_terminate_flag) {
        fputc('\n', stdout);
        fflush(stdout);
        return NULL;
    }
    return line;
}

void gpus_editor_history_add(gpus_editor *editor, const char *entry) {
    gpus_libedit.history(editor->history, &editor->event, H_ENTER, entry);
}

int gpus_editor_history_load(gpus_editor *editor, const char *path) {
    return gpus_libedit.history(editor->history, &editor->event, H_LOAD, path);
}

int gpus_editor_history_save(gpus_editor *editor, const char *path) {
    return gpus_libedit.history(editor->history, &editor->event, H_SAVE, path);
}

/* Signals, one mechanism for every mode. SIGINT, SIGTERM and SIGHUP reach one handler, whichever
   thread the kernel picks: it records them for a line being read (SIGINT in a flag the REPL takes;
   SIGTERM and SIGHUP in a flag that stays set, the session ending), ends a read in progress, and
   writes the signal's number to a pipe that one Swift thread reads and hands to whoever listens
   (Terminal/Signals.swift). Never a signal source of libdispatch: its signalfd on Linux loses a
   signal that a thread with the signal unblocked and ignored takes first. */
static int gpus_signal_pipe[2] = {-1, -1};
static pthread_mutex_t gpus_signal_lock = PTHREAD_MUTEX_INITIALIZER;

static void gpus_signal_queue(int number) {
    if (gpus_signal_pipe[1] < 0) return;
    unsigned char byte = (unsigned char)number;
    ssize_t written = write(gpus_signal_pipe[1], &byte, 1);
    (void)written;
}

static void gpus_continue_handler(int signal_number) {
    (void)signal_number;
    int saved = errno;
    gpus_continued_flag = 1;
    gpus_wake_reader();
    errno = saved;
}

static void gpus_signal_handler(int signal_number) {
    int saved = errno;
    if (signal_number == SIGINT) {
        gpus_sigint_flag = 1;
    } else {
        gpus_terminate_flag = signal_number;
    }
    /* At the prompt (or in a Ctrl-R search) the read must end now, not after the next Enter. */
    gpus_wake_reader();
    gpus_signal_queue(signal_number);
    errno = saved;
}

int gpus_signals_install(void) {
    pthread_mutex_lock(&gpus_signal_lock);
    if (gpus_signal_pipe[0] < 0) {
        if (pipe(gpus_signal_pipe) != 0) {
            pthread_mutex_unlock(&gpus_signal_lock);
            return -1;
        }
        fcntl(gpus_signal_pipe[0], F_SETFD, FD_CLOEXEC);
        fcntl(gpus_signal_pipe[1], F_SETFD, FD_CLOEXEC);
        /* A full pipe must never block a signal handler. */
        fcntl(gpus_signal_pipe[1], F_SETFL, fcntl(gpus_signal_pipe[1], F_GETFL) | O_NONBLOCK);
        struct sigaction action;
        memset(&action, 0, sizeof action);
        sigemptyset(&action.sa_mask);
        /* SIGUSR1 only interrupts the thread reading a line (the waker sends it until the read ends). */
        action.sa_handler = gpus_nothing_handler;
        sigaction(SIGUSR1, &action, NULL);
        if (gpus_wake_pipe[0] < 0 && pipe(gpus_wake_pipe) == 0) {
            pthread_t waker;
            if (pthread_create(&waker, NULL, gpus_waker, NULL) == 0) pthread_detach(waker);
        }
        action.sa_handler = gpus_signal_handler;
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, NULL);
        sigaction(SIGTERM, &action, NULL);
        sigaction(SIGHUP, &action, NULL);
        action.sa_handler = gpus_continue_handler;
        sigaction(SIGCONT, &action, NULL);
        /* Unblocked on this thread at least, so some thread always takes them. */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
    pthread_mutex_unlock(&gpus_signal_lock);
    return gpus_signal_pipe[0];
}

int gpus_signal_next(void) {
    for (;;) {
        unsigned char byte;
        ssize_t count = read(gpus_signal_pipe[0], &byte, 1);
        if (count == 1) return byte;
        if (count < 0 && errno == EINTR) continue;
        return -1;
    }
}
