export const id = 411;
export const ids = [411];
export const modules = {

/***/ 8792:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CredentialHelperError: () => (/* binding */ CredentialHelperError),
/* harmony export */   runCredentialHelper: () => (/* binding */ runCredentialHelper)
/* harmony export */ });
/* unused harmony export IDENTITY_TOKEN_USERNAME */
/* harmony import */ var _common_redact_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6800);
/* harmony import */ var _common_reported_error_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4945);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);



/** A credential helper that is missing, failed, timed out or answered something unreadable. */
class CredentialHelperError extends _common_reported_error_js__WEBPACK_IMPORTED_MODULE_1__/* .ReportedError */ .S {
    notInstalled;
    title = 'Credential helper failed';
    name = 'CredentialHelperError';
    constructor(message, 
    /** True when `docker-credential-<name>` is not on PATH. */
    notInstalled, options) {
        super(message, options);
        this.notInstalled = notInstalled;
    }
}
const DEFAULT_TIMEOUT_MS = 60_000;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A helper's answer is a few hundred bytes; anything far larger is not one. */
const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_QUOTED_CHARS = 500;
// docker-credential-helpers prints "credentials not found in native keychain"; others word it alike.
const NOT_FOUND = /credentials not found/i;
/** The username a helper returns when `Secret` is an identity (refresh) token. */
const IDENTITY_TOKEN_USERNAME = '<token>';
/**
 * Runs `docker-credential-<helper> get` with `serverUrl` on stdin (the credential-helper protocol). Returns
 * undefined when the helper has no credentials for it; throws CredentialHelperError on any other failure,
 * quoting the helper's error output but never its answer, which holds the secret.
 */
async function runCredentialHelper(helper, serverUrl, options = {}) {
    if (!HELPER_NAME.test(helper)) {
        throw new CredentialHelperError(`invalid credential helper name "${helper}": expected a name like "ecr-login", run as docker-credential-<name> from PATH`, false);
    }
    const program = `docker-credential-${helper}`;
    const what = `failed to get credentials for ${serverUrl} from ${program}`;
    const run = await runGet(program, serverUrl, options, what);
    if (run.exitCode !== 0) {
        if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr))
            return undefined;
        throw new CredentialHelperError(`${what}: exit code ${run.exitCode}${quoteErrorOutput(run)}`, false);
    }
    return parseAnswer(run.stdout, program, what);
}
function runGet(program, serverUrl, options, what) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(program, ['get'], { env: options.env ?? process.env, stdio: 'pipe' });
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, timeoutMs);
        const stdout = collect(child.stdout);
        const stderr = collect(child.stderr);
        child.on('error', (error) => {
            clearTimeout(timer);
            const notInstalled = error.code === 'ENOENT';
            const reason = notInstalled ? `${program} is not on PATH` : error.message;
            reject(new CredentialHelperError(`${what}: ${reason}`, notInstalled, { cause: error }));
        });
        child.on('close', (exitCode, signal) => {
            clearTimeout(timer);
            if (timedOut)
                reject(new CredentialHelperError(`${what}: no answer within ${timeoutMs} ms`, false));
            else if (signal !== null)
                reject(new CredentialHelperError(`${what}: killed by ${signal}`, false));
            else
                resolve({ exitCode, stdout: stdout(), stderr: stderr() });
        });
        // A helper that exits without reading stdin makes the write fail with EPIPE; its exit code tells the story.
        child.stdin.on('error', () => undefined);
        child.stdin.end(serverUrl);
    });
}
/** Accumulates a stream's text up to MAX_OUTPUT_BYTES; returns a reader for the result. */
function collect(stream) {
    const chunks = [];
    let size = 0;
    stream.on('data', (chunk) => {
        if (size >= MAX_OUTPUT_BYTES)
            return;
        chunks.push(chunk);
        size += chunk.length;
    });
    return () => Buffer.concat(chunks).subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
}
/**
 * The helper's error text: stderr, or stdout where helpers print errors, unless stdout looks like an answer; with
 * anything shaped like a token blanked, since a failing helper may print the secret it holds.
 */
function quoteErrorOutput(run) {
    const stdout = run.stdout.trim();
    const text = (0,_common_redact_js__WEBPACK_IMPORTED_MODULE_2__/* .redactTokenLike */ .g2)(run.stderr.trim() || (stdout.startsWith('{') ? '' : stdout));
    if (text === '')
        return '';
    const quoted = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
    return `: ${quoted}`;
}
function parseAnswer(stdout, program, what) {
    let answer;
    try {
        answer = JSON.parse(stdout);
    }
    catch {
        // The cause would quote the output, which may hold the secret.
        throw new CredentialHelperError(`${what}: the answer is not JSON; expected {"ServerURL","Username","Secret"}`, false);
    }
    const fields = typeof answer === 'object' && answer !== null ? answer : {};
    const { Username: username, Secret: secret } = fields;
    if (typeof secret !== 'string' || (username !== undefined && typeof username !== 'string')) {
        throw new CredentialHelperError(`${what}: the answer lacks a string "Secret"; expected {"ServerURL","Username","Secret"}`, false);
    }
    if (secret === '')
        return undefined;
    if (username === IDENTITY_TOKEN_USERNAME)
        return { identityToken: secret, source: program };
    return { username, password: secret, source: program };
}


/***/ })

};

//# sourceMappingURL=411.index.js.map