export const id = 184;
export const ids = [184];
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

/***/ 8184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openZipFiles: () => (/* binding */ openZipFiles)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./src/layout/archive-entries.ts
var archive_entries = __webpack_require__(2685);
// EXTERNAL MODULE: ./src/layout/file-range.ts
var file_range = __webpack_require__(4298);
// EXTERNAL MODULE: ./src/layout/layout-errors.ts
var layout_errors = __webpack_require__(2068);
// EXTERNAL MODULE: ./src/layout/archive-limits.ts
var archive_limits = __webpack_require__(7693);
;// CONCATENATED MODULE: ./src/layout/zip-directory.ts




const END_RECORD = { signature: 0x06054b50, size: 22 };
const ZIP64_LOCATOR = { signature: 0x07064b50, size: 20 };
const ZIP64_END_RECORD = 0x06064b50;
const CENTRAL_HEADER = { signature: 0x02014b50, size: 46 };
const ZIP64_EXTRA = 0x0001;
const MAX_COMMENT = 0xffff;
/** The central directory is read whole; a hundred thousand entries with long names stay below this. */
const MAX_DIRECTORY = 64 * 1024 * 1024;
/**
 * Reads the central directory of the zip at `handle` (APPNOTE 6.3: the end record, zip64 where a field overflows)
 * and maps each file's name, normalized as tar names are, to where it is. Refuses encryption, methods other than
 * stored and deflate, more than MAX_ARCHIVE_ENTRIES entries, and sizes that add up past the unpacked bound, all
 * before any content is read.
 */
async function readZipDirectory(handle) {
    const { size: archiveSize } = await handle.stat();
    const end = await findEndRecord(handle, archiveSize);
    (0,archive_limits/* checkEntryCount */.Q1)(end.count);
    if (end.directorySize > MAX_DIRECTORY || end.directoryOffset + end.directorySize > archiveSize) {
        throw new layout_errors/* OciLayoutError */.m(`the central directory (${end.directorySize} bytes at byte ${end.directoryOffset}) does not fit the archive`);
    }
    const directory = Buffer.from(await (0,file_range/* readRange */.q)(handle, end.directoryOffset, end.directorySize));
    const entries = new Map();
    let unpacked = 0;
    let at = 0;
    for (let n = 0; n < end.count; n += 1) {
        if (at + CENTRAL_HEADER.size > directory.length ||
            directory.readUInt32LE(at) !== CENTRAL_HEADER.signature) {
            throw new layout_errors/* OciLayoutError */.m(`entry ${n} of the central directory is not a central directory header`);
        }
        const nameLength = directory.readUInt16LE(at + 28);
        const extraLength = directory.readUInt16LE(at + 30);
        const commentLength = directory.readUInt16LE(at + 32);
        const name = directory.toString('utf8', at + CENTRAL_HEADER.size, at + CENTRAL_HEADER.size + nameLength);
        const extra = directory.subarray(at + CENTRAL_HEADER.size + nameLength, at + CENTRAL_HEADER.size + nameLength + extraLength);
        const entry = centralEntry(directory.subarray(at, at + CENTRAL_HEADER.size), extra, name);
        at += CENTRAL_HEADER.size + nameLength + extraLength + commentLength;
        if (name.endsWith('/'))
            continue;
        unpacked += entry.size;
        (0,archive_limits/* checkUnpackedSize */.V2)(unpacked, archiveSize);
        entries.set((0,archive_entries/* entryName */.M)(name), entry);
    }
    return entries;
}
function centralEntry(header, extra, name) {
    const flags = header.readUInt16LE(8);
    const method = header.readUInt16LE(10);
    if ((flags & 0x1) !== 0)
        throw new layout_errors/* OciLayoutError */.m(`${JSON.stringify(name)} is encrypted`);
    if (method !== 0 && method !== 8) {
        throw new layout_errors/* OciLayoutError */.m(`${JSON.stringify(name)} is compressed with method ${method}; only stored and deflated entries are read`);
    }
    // Fields that overflow 32 bits are 0xffffffff here and follow, in this order, in the zip64 extra field.
    const zip64 = zip64Fields(extra);
    const wide = (value) => (value === 0xffffffff ? zip64.next(name) : value);
    const size = wide(header.readUInt32LE(24));
    const compressedSize = wide(header.readUInt32LE(20));
    const localHeader = wide(header.readUInt32LE(42));
    return { method: method === 8 ? 8 : 0, size, compressedSize, localHeader };
}
function zip64Fields(extra) {
    let field;
    for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
        if (extra.readUInt16LE(at) === ZIP64_EXTRA)
            field = extra.subarray(at + 4, at + 4 + extra.readUInt16LE(at + 2));
    }
    let read = 0;
    return {
        next(name) {
            if (field === undefined || read + 8 > field.length) {
                throw new layout_errors/* OciLayoutError */.m(`${JSON.stringify(name)} lacks the zip64 field its sizes point to`);
            }
            const value = safeNumber(field.readBigUInt64LE(read), `a zip64 size of ${JSON.stringify(name)}`);
            read += 8;
            return value;
        },
    };
}
async function findEndRecord(handle, archiveSize) {
    // The end record is the last thing in the archive, followed only by a comment of at most 65535 bytes.
    const tailStart = Math.max(0, archiveSize - END_RECORD.size - MAX_COMMENT);
    const tail = Buffer.from(await (0,file_range/* readRange */.q)(handle, tailStart, archiveSize - tailStart));
    let at = tail.length - END_RECORD.size;
    while (at >= 0 && tail.readUInt32LE(at) !== END_RECORD.signature)
        at -= 1;
    if (at < 0)
        throw new layout_errors/* OciLayoutError */.m('no end of central directory record: not a zip archive, or a truncated one');
    const record = {
        count: tail.readUInt16LE(at + 10),
        directorySize: tail.readUInt32LE(at + 12),
        directoryOffset: tail.readUInt32LE(at + 16),
    };
    if (record.count !== 0xffff &&
        record.directorySize !== 0xffffffff &&
        record.directoryOffset !== 0xffffffff) {
        return record;
    }
    const locatorAt = tailStart + at - ZIP64_LOCATOR.size;
    const locator = locatorAt < 0 ? undefined : Buffer.from(await (0,file_range/* readRange */.q)(handle, locatorAt, ZIP64_LOCATOR.size));
    if (locator?.readUInt32LE(0) !== ZIP64_LOCATOR.signature) {
        throw new layout_errors/* OciLayoutError */.m('the end record points to a zip64 record that is not there');
    }
    const zip64At = safeNumber(locator.readBigUInt64LE(8), 'the zip64 end record offset');
    const zip64 = Buffer.from(await (0,file_range/* readRange */.q)(handle, zip64At, 56));
    if (zip64.readUInt32LE(0) !== ZIP64_END_RECORD) {
        throw new layout_errors/* OciLayoutError */.m(`no zip64 end record at byte ${zip64At}`);
    }
    return {
        count: safeNumber(zip64.readBigUInt64LE(32), 'the zip64 entry count'),
        directorySize: safeNumber(zip64.readBigUInt64LE(40), 'the zip64 directory size'),
        directoryOffset: safeNumber(zip64.readBigUInt64LE(48), 'the zip64 directory offset'),
    };
}
function safeNumber(value, what) {
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
        throw new layout_errors/* OciLayoutError */.m(`${what} is out of range: ${value}`);
    return Number(value);
}

;// CONCATENATED MODULE: ./src/layout/zip-files.ts







const LOCAL_HEADER = { signature: 0x04034b50, size: 30 };
/**
 * The files of a layout zip, indexed from its central directory and read in place: a deflated entry is inflated
 * as it is read, nothing is written to disk, and no entry yields more bytes than the directory says it has.
 */
async function openZipFiles(path) {
    const handle = await (0,promises_.open)(path, 'r');
    try {
        const entries = (0,archive_entries/* fromLayoutRoot */.$)(await readZipDirectory(handle));
        return {
            find(name) {
                const entry = entries.get(name);
                if (entry === undefined)
                    return undefined;
                const chunks = () => entryBytes(handle, path, name, entry);
                return {
                    size: entry.size,
                    read: async () => {
                        const parts = [];
                        for await (const chunk of chunks())
                            parts.push(chunk);
                        return Buffer.concat(parts);
                    },
                    stream: () => external_node_stream_.Readable.from(chunks(), { objectMode: false }),
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
/** The entry's bytes, inflated when deflated; fails when they are more or fewer than the directory says. */
async function* entryBytes(handle, path, name, entry) {
    const stored = (0,file_range/* rangeStream */.Y)(path, await dataStart(handle, name, entry), entry.compressedSize);
    const body = entry.method === 8 ? (0,external_node_stream_.pipeline)(stored, (0,external_node_zlib_.createInflateRaw)(), () => undefined) : stored;
    let seen = 0;
    for await (const chunk of body) {
        seen += chunk.length;
        if (seen > entry.size)
            break;
        yield chunk;
    }
    if (seen !== entry.size) {
        throw new layout_errors/* OciLayoutError */.m(`${JSON.stringify(name)} holds ${seen > entry.size ? 'more' : `only ${seen}`} bytes ` +
            `where the central directory says ${entry.size}`);
    }
}
async function dataStart(handle, name, entry) {
    const header = Buffer.from(await (0,file_range/* readRange */.q)(handle, entry.localHeader, LOCAL_HEADER.size));
    if (header.readUInt32LE(0) !== LOCAL_HEADER.signature) {
        throw new layout_errors/* OciLayoutError */.m(`no local header at byte ${entry.localHeader} for ${JSON.stringify(name)}`);
    }
    return entry.localHeader + LOCAL_HEADER.size + header.readUInt16LE(26) + header.readUInt16LE(28);
}


/***/ })

};

//# sourceMappingURL=184.index.js.map