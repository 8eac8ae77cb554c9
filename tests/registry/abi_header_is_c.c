/* The ABI header must compile as plain C (a plugin may be written in C). */
#include <smharden/plugin_abi.h>

uint32_t smharden_test_c_table_size(void);
uint32_t smharden_test_c_table_size(void) { return (uint32_t)sizeof(smh_plugin_v1); }
