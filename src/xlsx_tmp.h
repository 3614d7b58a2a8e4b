/*
 * xlsx_tmp.h: larger stdio buffers for the temporary files libxlsxwriter
 * packs a workbook from (see xlsx_tmp.c).
 */
#ifndef FZ_XLSX_TMP_H
#define FZ_XLSX_TMP_H

/* From now on, each temporary file libxlsxwriter makes gets a larger buffer. */
void xlsx_tmp_begin(void);
/* No more; free the buffers given (call after workbook_close(), which closes their files). */
void xlsx_tmp_end(void);

#endif
