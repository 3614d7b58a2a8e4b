/*
 * ext_version.c: the version fzreport-ext.so was built as; the program
 * loads no other (ext_stub.c).
 */
extern const char fz_ext_version[];
const char fz_ext_version[] = FZ_VERSION;
