export const id = 659;
export const ids = [659];
export const modules = {

/***/ 6659:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openTarFiles: () => (/* binding */ openTarFiles)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/layout/file-range.ts
var file_range = __webpack_require__(4298);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/layout/layout-errors.ts
var layout_errors = __webpack_require__(2068);
;// CONCATENATED MODULE: ./src/layout/pax.ts

const utf8 = new TextDecoder('utf-8');
const NEWLINE = 0x0a;
const SPACE = 0x20;
/**
 * Reads the records of a pax extended header (`<length> <key>=<value>\n`, the length counting the whole record in
 * bytes) and keeps `path` and `size`; `where` places the header in messages.
 */
function parsePaxHeader(bytes, where) {
    const overrides = {};
    for (let start = 0; start < bytes.length;) {
        const { key, value, end } = readRecord(bytes, start, where);
        if (key === 'path' && value !== '')
            overrides.path = value;
        if (key === 'size' && value !== '')
            overrides.size = parseSize(value, where);
        start = end;
    }
    return overrides;
}
function readRecord(bytes, start, where) {
    const fail = (problem) => {
        throw new layout_errors/* TarFormatError */.Z(`invalid pax record at byte ${start} of ${where}: ${problem}`);
    };
    const space = bytes.indexOf(SPACE, start);
    const lengthText = Buffer.from(bytes.subarray(start, space === -1 ? bytes.length : space)).toString('latin1');
    if (space === -1 || !/^[1-9][0-9]*$/.test(lengthText)) {
        return fail(`expected "<length> <key>=<value>\\n", got length ${JSON.stringify(lengthText)}`);
    }
    const end = start + Number(lengthText);
    if (end > bytes.length || end <= space + 1 || bytes[end - 1] !== NEWLINE) {
        return fail(`its length ${lengthText} does not end at a newline inside the ${bytes.length}-byte header`);
    }
    const record = utf8.decode(bytes.subarray(space + 1, end - 1));
    const equals = record.indexOf('=');
    if (equals <= 0)
        return fail(`expected "<key>=<value>", got ${JSON.stringify(record)}`);
    return { key: record.slice(0, equals), value: record.slice(equals + 1), end };
}
function parseSize(value, where) {
    const size = Number(value);
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(size)) {
        throw new layout_errors/* TarFormatError */.Z(`invalid pax size record in ${where}: "${value}" is not a byte count`);
    }
    return size;
}

;// CONCATENATED MODULE: ./src/layout/tar-header.ts

/** Tar archives are made of 512-byte blocks: a header block, then the entry's content padded to a block. */
const TAR_BLOCK = 512;
const tar_header_utf8 = new TextDecoder('utf-8');
const CHECKSUM = { start: 148, end: 156 };
// POSIX ustar magic and version; GNU tar writes "ustar  \0" and uses the prefix field for other things.
const USTAR_MAGIC = 'ustar\u000000';
const SHOWN_FIELD_LENGTH = 24;
/** True for an all-zero block: the end-of-archive marker. */
function isEndBlock(block) {
    return block.every((byte) => byte === 0);
}
/** Decodes the header block found at byte `offset` of an archive, after checking its checksum. */
function parseTarHeader(block, offset) {
    const where = `the header at byte ${offset}`;
    if (block[0] === 0x1f && block[1] === 0x8b) {
        throw new layout_errors/* TarFormatError */.Z(`${where} starts gzip-compressed data: decompress the archive to a plain tar first`);
    }
    const stored = parseTarNumber(block.subarray(CHECKSUM.start, CHECKSUM.end), `checksum field of ${where}`);
    const sums = checksums(block);
    if (stored !== sums.unsigned && stored !== sums.signed) {
        throw new layout_errors/* TarFormatError */.Z(`${where} has checksum ${stored} but its bytes sum to ${sums.unsigned}: not a tar archive, or a damaged one`);
    }
    const name = tar_header_text(block.subarray(0, 100));
    const isUstar = Buffer.from(block.subarray(257, 265)).toString('latin1') === USTAR_MAGIC;
    const prefix = isUstar ? tar_header_text(block.subarray(345, 500)) : '';
    return {
        name: prefix === '' ? name : `${prefix}/${name}`,
        type: String.fromCharCode(block[156] ?? 0),
        size: parseTarNumber(block.subarray(124, 136), `size field of ${where}`),
    };
}
/**
 * A numeric header field: octal ASCII digits padded with NULs or spaces, or, when the high bit of the first byte is
 * set, a big-endian base-256 number (how GNU tar and Go store sizes of 8 GiB and more).
 */
function parseTarNumber(field, what) {
    const first = field[0] ?? 0;
    if ((first & 0x80) !== 0)
        return parseBase256(field, what);
    const digits = Buffer.from(field)
        .toString('latin1')
        .replace(/^[\0 ]+|[\0 ]+$/g, '');
    if (!/^[0-7]*$/.test(digits)) {
        throw new layout_errors/* TarFormatError */.Z(`invalid ${what}: ${show(field)} is neither octal digits nor a base-256 number`);
    }
    // At most 12 octal digits: always a safe integer.
    return digits === '' ? 0 : parseInt(digits, 8);
}
function parseBase256(field, what) {
    const first = field[0] ?? 0;
    // The bit after the marker is the sign of a two's complement number: sizes are never negative.
    if ((first & 0x40) !== 0)
        throw new layout_errors/* TarFormatError */.Z(`invalid ${what}: a negative base-256 number`);
    let value = BigInt(first & 0x7f);
    for (const byte of field.subarray(1))
        value = (value << 8n) | BigInt(byte);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new layout_errors/* TarFormatError */.Z(`invalid ${what}: ${value} is larger than ${Number.MAX_SAFE_INTEGER}`);
    }
    return Number(value);
}
/** The sums of the header bytes with the checksum field read as spaces; old tars summed signed bytes. */
function checksums(block) {
    let unsigned = 0;
    let signed = 0;
    block.forEach((byte, index) => {
        const value = index >= CHECKSUM.start && index < CHECKSUM.end ? 0x20 : byte;
        unsigned += value;
        signed += value > 0x7f ? value - 0x100 : value;
    });
    return { unsigned, signed };
}
/** A NUL-terminated string field. */
function tar_header_text(field) {
    const end = field.indexOf(0);
    return tar_header_utf8.decode(end === -1 ? field : field.subarray(0, end));
}
function show(field) {
    const shown = JSON.stringify(Buffer.from(field).toString('latin1'));
    return shown.length > SHOWN_FIELD_LENGTH ? `${shown.slice(0, SHOWN_FIELD_LENGTH)}…` : shown;
}

;// CONCATENATED MODULE: ./src/layout/tar-scan.ts





/** Pax headers and GNU long names are metadata about one entry: they are read, never the entries' content. */
const METADATA_LIMIT = 1024 * 1024;
const REGULAR_FILE = new Set(['0', '\0', '7']);
// Links, devices, directories and FIFOs carry no content, whatever their size field says (as Go's archive/tar reads).
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
/**
 * Walks the headers of the tar at `handle` once, skipping over every entry's content, and maps each regular file's
 * name (`./` and leading `/` removed) to where its bytes are. A name given twice keeps its last entry, as extraction
 * would.
 */
async function scanTar(handle) {
    const { size: archiveSize } = await handle.stat();
    const entries = new Map();
    let next = {};
    // An archive may end at a block boundary without its two zero blocks; Go's archive/tar accepts that too.
    for (let offset = 0; offset < archiveSize;) {
        if (offset + TAR_BLOCK > archiveSize) {
            throw new layout_errors/* TarFormatError */.Z(`the archive ends ${archiveSize - offset} bytes into the header at byte ${offset}`);
        }
        const block = await (0,file_range/* readRange */.q)(handle, offset, TAR_BLOCK);
        if (isEndBlock(block))
            break;
        const header = parseTarHeader(block, offset);
        // Global pax headers ('g') and GNU long link names ('K') are skipped: Go's archive/tar, with which buildx and
        // skopeo write, does not carry global records over to later entries either.
        const isMetadata = ['x', 'g', 'L', 'K'].includes(header.type);
        const size = HEADER_ONLY.has(header.type) ? 0 : isMetadata ? header.size : (next.size ?? header.size);
        const start = offset + TAR_BLOCK;
        if (start + size > archiveSize) {
            throw new layout_errors/* TarFormatError */.Z(`the archive is truncated: the entry ${JSON.stringify(header.name)} at byte ${offset} has ${size} bytes ` +
                `but only ${archiveSize - start} follow`);
        }
        const where = `the ${header.type} header at byte ${offset}`;
        if (header.type === 'x') {
            next = { ...next, ...parsePaxHeader(await readMetadata(handle, start, size, where), where) };
        }
        else if (header.type === 'L') {
            next = { ...next, longName: cString(await readMetadata(handle, start, size, where)) };
        }
        else if (!isMetadata) {
            if (REGULAR_FILE.has(header.type)) {
                entries.set(normalizeName(next.path ?? next.longName ?? header.name), { offset: start, size });
            }
            next = {};
        }
        offset = start + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    }
    return entries;
}
async function readMetadata(handle, start, size, where) {
    if (size > METADATA_LIMIT) {
        throw new layout_errors/* TarFormatError */.Z(`${where} is ${size} bytes, more than the ${METADATA_LIMIT} a header may take`);
    }
    return (0,file_range/* readRange */.q)(handle, start, size);
}
function cString(bytes) {
    const end = bytes.indexOf(0);
    return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString('utf8');
}
/** `./blobs/sha256/…`, `/blobs/sha256/…` and `blobs//sha256/…` all name `blobs/sha256/…`. */
function normalizeName(name) {
    return external_node_path_.posix.normalize(name).replace(/^(?:\.\/|\/)+/, '');
}

;// CONCATENATED MODULE: ./src/layout/tar-files.ts



/** The files of a layout tar, indexed by one pass over its headers and read in place, never extracted. */
async function openTarFiles(path) {
    const handle = await (0,promises_.open)(path, 'r');
    try {
        const entries = await scanTar(handle);
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

//# sourceMappingURL=659.index.js.map