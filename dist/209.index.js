export const id = 209;
export const ids = [209];
export const modules = {

/***/ 2685:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ fromLayoutRoot),
/* harmony export */   M: () => (/* binding */ entryName)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);

/** `./blobs/sha256/…`, `/blobs/sha256/…` and `blobs//sha256/…` all name `blobs/sha256/…`. */
function entryName(stored) {
    return node_path__WEBPACK_IMPORTED_MODULE_0__.posix.normalize(stored).replace(/^(?:\.\/|\/)+/, '');
}
/**
 * The entries as seen from the layout's root: the archive's root, or the one folder it holds when the archive was
 * made of the layout's folder (`zip -r layout.zip layout`, `tar -cf layout.tar layout`).
 */
function fromLayoutRoot(entries) {
    if (entries.has('index.json'))
        return entries;
    const folders = new Set([...entries.keys()].map((name) => name.split('/', 1)[0]));
    const [only] = folders;
    if (folders.size !== 1 || only === undefined || !entries.has(`${only}/index.json`))
        return entries;
    const prefix = `${only}/`;
    return new Map([...entries].map(([name, entry]) => [name.slice(prefix.length), entry]));
}


/***/ }),

/***/ 1209:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openTarFiles: () => (/* binding */ openTarFiles)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/layout/file-range.ts
var file_range = __webpack_require__(4298);
// EXTERNAL MODULE: ./src/oci/tar/tar-format-error.ts
var tar_format_error = __webpack_require__(4663);
// EXTERNAL MODULE: ./src/layout/archive-entries.ts
var archive_entries = __webpack_require__(2685);
// EXTERNAL MODULE: ./src/layout/archive-limits.ts
var archive_limits = __webpack_require__(7693);
// EXTERNAL MODULE: ./src/oci/tar/pax.ts
var pax = __webpack_require__(2008);
// EXTERNAL MODULE: ./src/oci/tar/tar-header.ts
var tar_header = __webpack_require__(8990);
;// CONCATENATED MODULE: ./src/layout/tar-scan.ts






/** Pax headers and GNU long names are metadata about one entry: they are read, never the entries' content. */
const METADATA_LIMIT = 1024 * 1024;
const REGULAR_FILE = new Set(['0', '\0', '7']);
// Links, devices, directories and FIFOs carry no content, whatever their size field says (as Go's archive/tar reads).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
/**
 * Walks the headers of the tar at `handle` once, skipping over every entry's content, and maps each regular file's
 * name (`./` and leading `/` removed) to where its bytes are. A name given twice keeps its last entry, as extraction
 * would. More than MAX_ARCHIVE_ENTRIES headers is refused.
 */
async function scanTar(handle) {
    const { size: archiveSize } = await handle.stat();
    const entries = new Map();
    let next = {};
    let headers = 0;
    // An archive may end at a block boundary without its two zero blocks; Go's archive/tar accepts that too.
    for (let offset = 0; offset < archiveSize;) {
        if (offset + tar_header/* TAR_BLOCK */.mv > archiveSize) {
            throw new tar_format_error/* TarFormatError */.Z(`the archive ends ${archiveSize - offset} bytes into the header at byte ${offset}`);
        }
        const block = await (0,file_range/* readRange */.q)(handle, offset, tar_header/* TAR_BLOCK */.mv);
        if ((0,tar_header/* isEndBlock */.x5)(block))
            break;
        (0,archive_limits/* checkEntryCount */.Q1)((headers += 1));
        const header = (0,tar_header/* parseTarHeader */.OH)(block, offset);
        // Global pax headers ('g') and GNU long link names ('K') are skipped: Go's archive/tar, with which buildx and
        // skopeo write, does not carry global records over to later entries either.
        const isMetadata = ['x', 'g', 'L', 'K'].includes(header.type);
        const size = HEADER_ONLY.has(header.type) ? 0 : isMetadata ? header.size : (next.size ?? header.size);
        const start = offset + tar_header/* TAR_BLOCK */.mv;
        if (start + size > archiveSize) {
            throw new tar_format_error/* TarFormatError */.Z(`the archive is truncated: the entry ${JSON.stringify(header.name)} at byte ${offset} has ${size} bytes ` +
                `but only ${archiveSize - start} follow`);
        }
        const where = `the ${header.type} header at byte ${offset}`;
        if (header.type === 'x') {
            next = { ...next, ...(0,pax/* parsePaxHeader */.K)(await readMetadata(handle, start, size, where), where) };
        }
        else if (header.type === 'L') {
            next = { ...next, longName: cString(await readMetadata(handle, start, size, where)) };
        }
        else if (!isMetadata) {
            if (REGULAR_FILE.has(header.type)) {
                entries.set((0,archive_entries/* entryName */.M)(next.path ?? next.longName ?? header.name), { offset: start, size });
            }
            next = {};
        }
        offset = start + Math.ceil(size / tar_header/* TAR_BLOCK */.mv) * tar_header/* TAR_BLOCK */.mv;
    }
    return entries;
}
async function readMetadata(handle, start, size, where) {
    if (size > METADATA_LIMIT) {
        throw new tar_format_error/* TarFormatError */.Z(`${where} is ${size} bytes, more than the ${METADATA_LIMIT} a header may take`);
    }
    return (0,file_range/* readRange */.q)(handle, start, size);
}
function cString(bytes) {
    const end = bytes.indexOf(0);
    return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

;// CONCATENATED MODULE: ./src/layout/tar-files.ts




/** The files of a layout tar, indexed by one pass over its headers and read in place, never extracted. */
async function openTarFiles(path) {
    const handle = await (0,promises_.open)(path, 'r');
    try {
        const entries = (0,archive_entries/* fromLayoutRoot */.$)(await scanTar(handle));
        return {
            find(name) {
                const entry = entries.get(name);
                if (entry === undefined)
                    return undefined;
                const { offset, size } = entry;
                return {
                    size,
                    read: () => (0,file_range/* readRange */.q)(handle, offset, size),
                    stream: () => (0,file_range/* rangeStream */.Y)(path, offset, size),
                };
            },
            close: () => handle.close(),
        };
    }
    catch (error) {
        await handle.close();
        throw error;
    }
}


/***/ })

};

//# sourceMappingURL=209.index.js.map