#include "gpus_editline.h"

#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gpus_editor {
    EditLine *el;
    History *history;
    HistEvent event;
    char *prompt;
    void *client;
    gpus_completer completer;
};

static volatile sig_atomic_t gpus_sigint_flag = 0;

static void gpus_sigint_handler(int signal_number) {
    (void)signal_number;
    gpus_sigint_flag = 1;
}

void gpus_sigint_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = gpus_sigint_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
}

int gpus_sigint_take(void) {
    int value = gpus_sigint_flag;
    gpus_sigint_flag = 0;
    return value;
}

static char *gpus_prompt(EditLine *el) {
    gpus_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    return editor && editor->prompt ? editor->prompt : "> ";
}

static unsigned char gpus_complete(EditLine *el, int ch) {
    (void)ch;
    gpus_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    if (!editor || !editor->completer) return CC_ERROR;
    const LineInfo *info = el_line(el);
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
    if (result[0]) el_insertstr(el, result);
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
    if (!setlocale(LC_CTYPE, "")) setlocale(LC_CTYPE, "C.UTF-8");
    gpus_editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->client = client;
    editor->completer = completer;
    editor->el = el_init(program, stdin, stdout, stderr);
    editor->history = history_init();
    if (!editor->el || !editor->history) {
        gpus_editor_close(editor);
        return NULL;
    }
    history(editor->history, &editor->event, H_SETSIZE, 1000);
    history(editor->history, &editor->event, H_SETUNIQUE, 1);
    el_set(editor->el, EL_CLIENTDATA, editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_SIGNAL, 1);
    el_set(editor->el, EL_PROMPT, gpus_prompt);
    el_set(editor->el, EL_HIST, history, editor->history);
    el_set(editor->el, EL_ADDFN, "gpus-complete", "complete", gpus_complete);
    el_set(editor->el, EL_BIND, "^I", "gpus-complete", NULL);
    el_set(editor->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    return editor;
}

void gpus_editor_close(gpus_editor *editor) {
    if (!editor) return;
    if (editor->el) el_end(editor->el);
    if (editor->history) history_end(editor->history);
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
    const char *line = el_gets(editor->el, &count);
    *interrupted = gpus_sigint_take();
    if (*interrupted) {
        fputc('\n', stdout);
        fflush(stdout);
        return NULL;
    }
    return line;
}

void gpus_editor_history_add(gpus_editor *editor, const char *entry) {
    history(editor->history, &editor->event, H_ENTER, entry);
}

int gpus_editor_history_load(gpus_editor *editor, const char *path) {
    return history(editor->history, &editor->event, H_LOAD, path);
}

int gpus_editor_history_save(gpus_editor *editor, const char *path) {
    return history(editor->history, &editor->event, H_SAVE, path);
}

void gpus_editor_history_size(gpus_editor *editor, int size) {
    history(editor->history, &editor->event, H_SETSIZE, size);
}
