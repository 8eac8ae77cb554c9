/*
 * smharden plugin ABI, major version 1 — the whole binary contract between the
 * smharden host and a plugin DLL / shared object.
 *
 * Rules (see docs/abi.md for the prose version):
 *  - Pure C: fixed-width integers, UTF-8 NUL-terminated `const char*`,
 *    function pointers and opaque handles. JSON crosses only as text.
 *  - Every struct starts with `struct_size` and only ever grows at the end.
 *    A reader touches a member only if `struct_size` covers it
 *    (SMH_HAS_MEMBER). Members are never removed, reordered or retyped.
 *  - One exported entry symbol per ABI major: `smharden_plugin_v1`.
 *  - The host refuses a plugin whose `abi_major` differs from its own or
 *    whose `abi_minor` is newer than its own.
 *  - Whoever allocates frees. Nothing here transfers heap ownership.
 *  - No exception, longjmp or C++ object crosses this boundary.
 *  - `reserved0` members are zero. The host refuses a plugin table whose
 *    `reserved0` is not zero.
 *
 * Threading and lifetime of a plugin instance (one instance per run):
 *  - The host creates at most one instance of a plugin per run, lazily: the
 *    first time the run checks or applies one of that plugin's steps. Every
 *    later check/apply of the run uses the same instance.
 *  - create, check, apply, last_error and destroy of one instance are called
 *    from one thread, one call at a time, never concurrently. The plugin needs
 *    no locks for the instance's own state.
 *  - The host destroys every instance it created when the run ends (also
 *    when the run fails or is cancelled). An instance never outlives its run
 *    and is never shared between runs; keep per-run state in the instance,
 *    not in globals.
 *  - The call context and every pointer it hands out (strings, results,
 *    secrets) are valid only during the check/apply call that received them,
 *    and only on that call's thread.
 */
#ifndef SMHARDEN_PLUGIN_ABI_H
#define SMHARDEN_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMH_ABI_MAJOR 1
/* Minor 0: the initial contract. Bump when a member is appended. */
#define SMH_ABI_MINOR 0

/* Name of the one exported symbol for ABI major 1. */
#define SMH_ENTRY_SYMBOL_V1 "smharden_plugin_v1"

#if defined(_WIN32)
#define SMH_EXPORT __declspec(dllexport)
#else
#define SMH_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct received from the other side is large enough to hold
 * `member`. Use before reading any member added after minor 0. */
#define SMH_HAS_MEMBER(type, ptr, member) \
  ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, member) + sizeof((ptr)->member))

/* Status codes. 0 is success, errors are negative. Values are never reused;
 * a reader treats an unknown negative value as SMH_ERR_FAILED. */
typedef int32_t smh_status;
#define SMH_OK 0
#define SMH_ERR_FAILED (-1)           /* generic failure; details in last_error / result */
#define SMH_ERR_INVALID_ARGUMENT (-2) /* a NULL or malformed argument (e.g. bad JSON text) */
#define SMH_ERR_REFUSED (-3)          /* the host refused the call (mutating call in check mode, lockout guard) */
#define SMH_ERR_NOT_FOUND (-4)        /* unknown service method or secret */
#define SMH_ERR_CANCELLED (-5)        /* the run was cancelled (Ctrl-C, SIGTERM) */
#define SMH_ERR_UNSUPPORTED (-6)      /* the operation is not offered by this side */
#define SMH_ERR_SERVICE (-7)          /* the service method ran and failed; details in result_json */

/* Log levels for smh_call_context_v1.log. */
typedef int32_t smh_log_level;
#define SMH_LOG_DEBUG 0
#define SMH_LOG_INFO 1
#define SMH_LOG_WARN 2
#define SMH_LOG_ERROR 3

/* Opaque host-side state for one step run. Owned by the host; valid only
 * during the check/apply call that received it. */
typedef struct smh_host_step smh_host_step;

/* Opaque plugin-side state. Owned by the plugin; created by `create`, freed
 * by `destroy`. */
typedef struct smh_plugin_instance smh_plugin_instance;

/*
 * What the host gives a plugin for one check or apply of one step.
 * Owner: host. Lifetime: the duration of the check/apply call; every string
 * and every pointer returned through it is invalid once that call returns.
 * Every function is safe to call only from the thread that received the
 * context, and never throws.
 */
typedef struct smh_call_context_v1 {
  /* sizeof(smh_call_context_v1) as compiled into the host. */
  uint32_t struct_size;
  /* The host's ABI version. */
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t reserved0; /* zero */

  /* Host handle to pass back as the first argument of every function below. */
  smh_host_step* host;

  /* Step id as written in the profile (e.g. "accounts"). Host-owned. */
  const char* step_id;
  /* "check" or "apply". Host-owned. */
  const char* mode;
  /* The step's params after profile merging, var substitution and schema
   * validation: a JSON object as text. Host-owned. */
  const char* params_json;
  /* The profile's management_cidrs: a JSON array of strings. Host-owned. */
  const char* management_cidrs_json;

  /*
   * Call a host service method (see docs/services.md for the catalog).
   * method: e.g. "iis.site.find". params_json: a JSON object as text; both are
   * caller-owned and only read during the call.
   * *result_json receives host-owned JSON text, valid until the next
   * call_service on this context or the end of the step, whichever is first.
   * On SMH_OK it is the method's result. On an error status it is an object
   * {"error": {"code": "...", "message": "..."}}. Returns SMH_ERR_REFUSED when
   * the method mutates and the step runs in check mode.
   */
  smh_status (*call_service)(smh_host_step* host, const char* method, const char* params_json,
                             const char** result_json);

  /* Log a message for the audit log. message: caller-owned, read during the
   * call. The host redacts known secrets before writing. */
  void (*log)(smh_host_step* host, smh_log_level level, const char* message);

  /*
   * Report one deviation from the desired state. finding_json: caller-owned
   * JSON object text, read during the call:
   *   {"id": "...", "title": "...", "severity": "info|low|medium|high|critical",
   *    "current": <any>, "desired": <any>, "remediation": "...",
   *    "automated": true|false}
   * Only "id" and "title" are required; severity defaults to the step's.
   * A step that emits no finding in check mode is compliant.
   */
  smh_status (*emit_finding)(smh_host_step* host, const char* finding_json);

  /* Report one change made during apply. change_json: caller-owned JSON
   * object text: {"id": "...", "description": "...", "before": <any>,
   * "after": <any>}. Secrets must not appear in it. */
  smh_status (*emit_change)(smh_host_step* host, const char* change_json);

  /*
   * Read a named secret (from the environment, a secret file, stdin, or one
   * put by an earlier step of this run). *value receives host-owned text,
   * valid until the end of the step. Returns SMH_ERR_NOT_FOUND when no such
   * secret exists. The plugin must never log, emit or store the value.
   */
  smh_status (*get_secret)(smh_host_step* host, const char* name, const char** value);

  /* Hand a secret to later steps of the same run (e.g. a generated
   * password). name and value are caller-owned, copied by the host, and
   * registered for redaction. Never persisted. */
  smh_status (*put_secret)(smh_host_step* host, const char* name, const char* value);

  /* Progress for the console: `done` of `total` units, with a short label.
   * label: caller-owned, may be NULL. */
  void (*progress)(smh_host_step* host, uint32_t done, uint32_t total, const char* label);

  /* Non-zero once the operator asked the run to stop. A plugin checks it
   * between units of work and returns SMH_ERR_CANCELLED. */
  uint32_t (*is_cancelled)(smh_host_step* host);

  /*
   * Ask the engine to restart something after all steps ran (at most once per
   * target per run): request_json is caller-owned JSON object text,
   * {"kind": "service", "name": "SmarterMail"} or
   * {"kind": "app_pool", "name": "SmarterMail"}. Refused in check mode.
   */
  smh_status (*request_restart)(smh_host_step* host, const char* request_json);
} smh_call_context_v1;

/*
 * What a plugin exports through `smharden_plugin_v1()`.
 * Owner: plugin. Lifetime: static storage; valid until the library is
 * unloaded. The host copies min(struct_size, sizeof) bytes before use.
 * Threading: see "Threading and lifetime" at the top of this file.
 */
typedef struct smh_plugin_v1 {
  /* sizeof(smh_plugin_v1) as compiled into the plugin. */
  uint32_t struct_size;
  /* ABI the plugin was built against: major must equal the host's, minor
   * must not be newer than the host's. */
  uint32_t abi_major;
  uint32_t abi_minor;
  /* Zero. The host refuses a table whose reserved0 is not zero: the member
   * is kept for a later minor version to give a meaning to. */
  uint32_t reserved0;

  /*
   * The plugin's manifest, a JSON object as text (plugin-owned, static):
   *   {"id": "accounts", "version": "1.2.0", "title": "...",
   *    "section": "guide section", "description": "...",
   *    "requires": [{"id": "accounts", "version": ">=1.0.0 <2.0.0"}],
   *    "after": ["..."], "tags": ["windows"], "severity": "high",
   *    "params_schema": {JSON Schema draft 7}, "os_access": false}
   * The host validates it (docs/abi.md lists the rules) before anything else.
   */
  const char* manifest_json;

  /*
   * Create an instance. Returns SMH_OK and sets *out, or an error. On an
   * error *out may still be set so that last_error can be read; the host
   * then calls destroy.
   * Called at most once per plugin per run, when the run first needs the
   * plugin (not at load time). Owner of *out: the plugin; the host holds it
   * until it passes it to destroy at the end of the run.
   */
  smh_status (*create)(smh_plugin_instance** out);

  /*
   * Read-only evaluation: report findings through ctx->emit_finding.
   * instance: from create, owned by the plugin. ctx: host-owned, valid during
   * the call only, and only on the calling thread; copy what you keep.
   * Called zero or more times per run (e.g. before and after apply), on the
   * thread that called create, never concurrently with another call on the
   * same instance.
   */
  smh_status (*check)(smh_plugin_instance* instance, const smh_call_context_v1* ctx);

  /*
   * Bring the target to the desired state through mutating service calls;
   * report every change through ctx->emit_change. The host re-runs check
   * afterwards to verify.
   * Ownership, lifetime and threading as for check: ctx is valid during the
   * call only; calls on one instance come from one thread, one at a time.
   */
  smh_status (*apply)(smh_plugin_instance* instance, const smh_call_context_v1* ctx);

  /* The last error of this instance as text (plugin-owned; valid until the
   * next call on the instance). Never NULL; "" when there is none. Called on
   * the thread that made the failing call, right after it. */
  const char* (*last_error)(smh_plugin_instance* instance);

  /*
   * Free the instance. instance may be NULL.
   * Called once per instance, when the run ends (success, failure or
   * cancellation), or right after a create that failed. No call on the
   * instance follows, and nothing the plugin handed out through it (e.g. a
   * last_error string) is used afterwards.
   */
  void (*destroy)(smh_plugin_instance* instance);
} smh_plugin_v1;

/* The entry point every ABI-1 plugin exports. Must not fail; returns a
 * pointer to static storage. */
typedef const smh_plugin_v1* (*smh_entry_v1_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Layout pins: these fail to compile if a member moves. */
#if defined(__cplusplus)
#define SMH_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define SMH_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
SMH_STATIC_ASSERT(offsetof(smh_plugin_v1, struct_size) == 0, "struct_size must come first");
SMH_STATIC_ASSERT(offsetof(smh_call_context_v1, struct_size) == 0, "struct_size must come first");
SMH_STATIC_ASSERT(offsetof(smh_plugin_v1, manifest_json) == 16, "smh_plugin_v1 layout changed");
SMH_STATIC_ASSERT(offsetof(smh_call_context_v1, host) == 16, "smh_call_context_v1 layout changed");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
SMH_STATIC_ASSERT(sizeof(smh_plugin_v1) == 64, "smh_plugin_v1 size changed (append only, bump SMH_ABI_MINOR)");
SMH_STATIC_ASSERT(offsetof(smh_call_context_v1, call_service) == 56, "smh_call_context_v1 layout changed");
SMH_STATIC_ASSERT(sizeof(smh_call_context_v1) == 128,
                  "smh_call_context_v1 size changed (append only, bump SMH_ABI_MINOR)");
#endif

#endif /* SMHARDEN_PLUGIN_ABI_H */
