#ifndef CATALOG_CLIBEDIT_SHIM_H
#define CATALOG_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <histedit.h>

/* el_set, el_get and history are variadic, which Swift cannot call: one fixed-argument wrapper each. */

static inline int catalog_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *)) {
    return el_set(el, EL_PROMPT, prompt);
}
static inline int catalog_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int catalog_el_set_signal(EditLine *el, int handle) { return el_set(el, EL_SIGNAL, handle); }
static inline int catalog_el_set_history(EditLine *el, History *history_) {
    return el_set(el, EL_HIST, history, history_);
}
static inline int catalog_el_add_function(
    EditLine *el, const char *name, const char *help, unsigned char (*function)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, function);
}
static inline int catalog_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}
static inline int catalog_el_set_getc(EditLine *el, el_rfunc_t function) { return el_set(el, EL_GETCFN, function); }
static inline int catalog_el_set_client_data(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *catalog_el_client_data(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int catalog_history_set_size(History *h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}
static inline int catalog_history_set_unique(History *h, int unique) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, unique);
}
/* Adds one line to the in-memory history. There is deliberately no wrapper for H_SAVE: the shell writes its
   own, redacted history file, and libedit never writes one. */
static inline int catalog_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}
#endif
