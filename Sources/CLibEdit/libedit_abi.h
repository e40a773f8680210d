#ifndef GPUS_LIBEDIT_ABI_H
#define GPUS_LIBEDIT_ABI_H

/*
 * The part of libedit's interface gpus uses, declared here so that building needs no libedit
 * headers: the library itself is loaded at run time (gpus_editline.c). Types and constants are
 * those of NetBSD libedit's <histedit.h>, unchanged since 2001 and the same in the Linux and macOS
 * builds of the library (checked against libedit-dev 3.1-20221030 on Debian).
 */

#include <stdio.h>

typedef struct editline EditLine;
typedef struct history History;

typedef struct lineinfo {
    const char *buffer;
    const char *cursor;
    const char *lastchar;
} LineInfo;

typedef struct HistEvent {
    int num;
    const char *str;
} HistEvent;

/* Editor function return codes. */
#define CC_REFRESH 4
#define CC_ERROR 6
#define CC_REDISPLAY 8

/* el_set / el_get operations. */
#define EL_PROMPT 0
#define EL_EDITOR 2
#define EL_SIGNAL 3
#define EL_BIND 4
#define EL_ADDFN 9
#define EL_HIST 10
#define EL_CLIENTDATA 14

/* history operations. */
#define H_SETSIZE 1
#define H_ENTER 10
#define H_LOAD 17
#define H_SAVE 18
#define H_SETUNIQUE 20

#endif
