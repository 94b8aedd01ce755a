export const id = 994;
export const ids = [994];
export const modules = {

/***/ 4298:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ rangeStream),
/* harmony export */   q: () => (/* binding */ readRange)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _layout_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2068);



/** Reads exactly `length` bytes at `position`; fails when the file ends first (it changed under us). */
async function readRange(handle, position, length) {
    const bytes = Buffer.alloc(length);
    for (let filled = 0; filled < length;) {
        const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
        if (bytesRead === 0) {
            throw new _layout_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .OciLayoutError */ .m(`the file ends ${filled} bytes into the ${length} expected at byte ${position}; was it changed or truncated?`);
        }
        filled += bytesRead;
    }
    return bytes;
}
/** The `length` bytes at `start` of the file at `path`, streamed from disk, never all in memory. */
function rangeStream(path, start, length) {
    // createReadStream has no way to say "no bytes": its `end` is inclusive.
    if (length === 0)
        return node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.from([]);
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path, { start, end: start + length - 1 });
}


/***/ }),

/***/ 9994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openOciLayout: () => (/* binding */ openOciLayout)
});

// EXTERNAL MODULE: ./src/oci/digest.ts
var oci_digest = __webpack_require__(8825);
// EXTERNAL MODULE: ./src/oci/json-fields.ts
var json_fields = __webpack_require__(2773);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var manifest = __webpack_require__(2060);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(9217);
;// CONCATENATED MODULE: ./src/layout/blob-path.ts

/**
 * Where a layout keeps the blob with `digest`: `blobs/sha256/<hex>`. The digest is validated first, so no crafted
 * digest (`sha256:../../x`) can name a path outside `blobs/`.
 */
function blobPath(digest) {
    const valid = (0,oci_digest/* parseDigest */.m)(digest);
    return `blobs/sha256/${valid.slice('sha256:'.length)}`;
}

// EXTERNAL MODULE: ./src/layout/layout-errors.ts
var layout_errors = __webpack_require__(2068);
;// CONCATENATED MODULE: ./src/layout/layout-files.ts

/** The whole of `file`, refused unread when it is larger than `maxBytes`; `what` names it in the message. */
async function readCapped(file, maxBytes, what) {
    if (file.size > maxBytes) {
        throw new layout_errors/* OciLayoutError */.m(`${what} is ${file.size} bytes, more than the ${maxBytes} allowed`);
    }
    return file.read();
}

;// CONCATENATED MODULE: ./src/layout/layout-version.ts



const MARKER_LIMIT = 64 * 1024;
// image-spec image-layout.md: "1.0.0" today; a later 1.x stays compatible, a 2.x would not.
const READABLE_VERSION = /^1\.\d+\.\d+$/;
/** Checks the `oci-layout` file: a JSON object whose imageLayoutVersion is 1.x; `name` is used in messages. */
async function checkLayoutVersion(files, name) {
    const notLayout = (problem, cause) => {
        throw new layout_errors/* OciLayoutError */.m(`${name} is not an OCI image layout: ${problem}`, { cause });
    };
    const marker = files.find('oci-layout');
    if (marker === undefined) {
        return notLayout('it has no oci-layout file (expected one holding {"imageLayoutVersion":"1.0.0"})');
    }
    const bytes = await readCapped(marker, MARKER_LIMIT, `the oci-layout file of ${name}`);
    const inMarker = (problem, cause) => notLayout(`its oci-layout file: ${problem}`, cause);
    const version = (0,json_fields/* requiredString */.Fk)((0,json_fields/* parseJsonObject */.dw)(bytes, inMarker), 'imageLayoutVersion', '', inMarker);
    if (!READABLE_VERSION.test(version)) {
        notLayout(`its oci-layout file says imageLayoutVersion "${version}", expected 1.x (such as "1.0.0")`);
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/layout/file-range.ts
var file_range = __webpack_require__(4298);
;// CONCATENATED MODULE: ./src/layout/directory-files.ts




/** The files of a layout directory, read in place. */
function directoryFiles(root) {
    return {
        find(name) {
            const path = (0,external_node_path_.join)(root, ...name.split('/'));
            // Synchronous so that OciLayout.openBlob can refuse a missing blob before handing out a stream.
            const stats = (0,external_node_fs_.statSync)(path, { throwIfNoEntry: false });
            if (stats === undefined || !stats.isFile())
                return undefined;
            const { size } = stats;
            return {
                size,
                read: async () => {
                    const handle = await (0,promises_.open)(path, 'r');
                    try {
                        return await (0,file_range/* readRange */.q)(handle, 0, size);
                    }
                    finally {
                        await handle.close();
                    }
                },
                stream: () => (0,file_range/* rangeStream */.Y)(path, 0, size),
            };
        },
        close: async () => { },
    };
}

// EXTERNAL MODULE: ./src/oci/tar/tar-format-error.ts
var tar_format_error = __webpack_require__(4663);
;// CONCATENATED MODULE: ./src/layout/open-layout-files.ts





/**
 * The files at `path`: a layout directory, or, when `path` is a file, a layout zip (told by its first bytes) or
 * tar; `name` is used in messages.
 */
async function openLayoutFiles(path, name) {
    let stats;
    try {
        stats = await (0,promises_.stat)(path);
    }
    catch (error) {
        throw new layout_errors/* OciLayoutError */.m(`failed to open ${name}: ${error.message}`, { cause: error });
    }
    if (stats.isDirectory())
        return directoryFiles(path);
    if (!stats.isFile()) {
        throw new layout_errors/* OciLayoutError */.m(`failed to open ${name}: "${path}" is neither a directory nor a file; expected a layout directory or tar`);
    }
    let zip = false;
    try {
        zip = await isZip(path);
        // Archive reading is loaded only when a layout is an archive.
        if (zip)
            return await (await __webpack_require__.e(/* import() */ 184).then(__webpack_require__.bind(__webpack_require__, 8184))).openZipFiles(path);
        return await (await __webpack_require__.e(/* import() */ 209).then(__webpack_require__.bind(__webpack_require__, 1209))).openTarFiles(path);
    }
    catch (error) {
        const message = error.message;
        if (error instanceof layout_errors/* ArchiveLimitError */.w) {
            throw new layout_errors/* ArchiveLimitError */.w(`failed to open ${name}: ${message}`, { cause: error });
        }
        // What the zip reader refuses is a zip it cannot read, as a TarFormatError is a tar it cannot read.
        if (error instanceof tar_format_error/* TarFormatError */.Z || (zip && error instanceof layout_errors/* OciLayoutError */.m)) {
            const kind = zip ? 'zip' : 'tar';
            throw new layout_errors/* OciLayoutError */.m(`${name} is not an OCI image layout: not a readable ${kind} archive: ${message}`, {
                cause: error,
            });
        }
        throw new layout_errors/* OciLayoutError */.m(`failed to open ${name}: ${message}`, { cause: error });
    }
}
/** A zip starts with a local header, or, empty, with its end record. */
async function isZip(path) {
    const handle = await (0,promises_.open)(path, 'r');
    try {
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
        const magic = bytesRead === 4 ? buffer.readUInt32LE(0) : 0;
        return magic === 0x04034b50 || magic === 0x06054b50;
    }
    finally {
        await handle.close();
    }
}

;// CONCATENATED MODULE: ./src/layout/oci-layout.ts









/** The read cap of manifests (8 MiB, as for registries), index.json included. */
const MANIFEST_LIMIT = 8 * 1024 * 1024;
/**
 * Opens a layout directory or tar (decided by stat: directory vs file). Validates the oci-layout file (version 1.x)
 * and index.json. Errors name the layout (`name`, by default `oci-layout:<path>`) and say what is wrong ("no
 * index.json in …", "… is not an OCI image layout: …").
 */
async function openOciLayout(path, name = `oci-layout:${path}`) {
    const files = await openLayoutFiles(path, name);
    try {
        await checkLayoutVersion(files, name);
        return new LayoutReader(name, files, await readIndex(files, name));
    }
    catch (error) {
        await files.close();
        throw error;
    }
}
async function readIndex(files, name) {
    const file = files.find('index.json');
    if (file === undefined)
        throw new layout_errors/* OciLayoutError */.m(`no index.json in ${name}: a layout lists its images there`);
    const what = `index.json in ${name}`;
    const bytes = await readCapped(file, MANIFEST_LIMIT, what);
    const raw = { mediaType: media_types/* MediaType */.zu.OciIndex, bytes, digest: (0,oci_digest/* sha256Digest */.sI)(bytes) };
    (0,manifest/* parseManifest */.Ng)(raw, what);
    return raw;
}
class LayoutReader {
    name;
    #files;
    #index;
    constructor(name, files, index) {
        this.name = name;
        this.#files = files;
        this.#index = index;
    }
    async index() {
        return this.#index;
    }
    manifest(reference) {
        return this.#attempt(`read manifest ${reference}`, async () => {
            const digest = (0,oci_digest/* parseDigest */.m)(reference);
            const bytes = await readCapped(this.#blobFile(digest), MANIFEST_LIMIT, 'it');
            (0,oci_digest/* verifyDigest */.Ub)(bytes, digest, 'the stored bytes');
            return { mediaType: declaredMediaType(bytes), bytes, digest };
        });
    }
    readBlob(descriptor, maxBytes) {
        return this.#attempt(`read blob ${descriptor.digest}`, async () => {
            if (descriptor.size > maxBytes) {
                throw new layout_errors/* OciLayoutError */.m(`its descriptor says ${descriptor.size} bytes, more than the ${maxBytes} allowed`);
            }
            const bytes = await this.#sizedBlobFile(descriptor).read();
            (0,oci_digest/* verifyDigest */.Ub)(bytes, descriptor.digest, 'the stored bytes');
            return bytes;
        });
    }
    openBlob(descriptor) {
        return this.#attempt(`open blob ${descriptor.digest}`, async () => this.#sizedBlobFile(descriptor).stream());
    }
    close() {
        return this.#files.close();
    }
    #blobFile(digest) {
        const path = blobPath(digest);
        const file = this.#files.find(path);
        if (file === undefined) {
            throw new layout_errors/* OciLayoutError */.m(`it is not in the layout (no ${path})`, { contentFailure: 'not-found' });
        }
        return file;
    }
    #sizedBlobFile({ digest, size }) {
        const file = this.#blobFile(digest);
        if (file.size !== size) {
            throw new layout_errors/* OciLayoutError */.m(`it is stored with ${file.size} bytes but its descriptor says ${size}`);
        }
        return file;
    }
    async #attempt(action, work) {
        try {
            return await work();
        }
        catch (error) {
            throw this.#failure(action, error);
        }
    }
    #failure(action, error) {
        return new layout_errors/* OciLayoutError */.m(`failed to ${action} from ${this.name}: ${error.message}`, {
            cause: error,
        });
    }
}
/** The manifest's own mediaType field: in a layout nothing else says what a manifest blob is. */
function declaredMediaType(bytes) {
    const fail = (problem, cause) => {
        throw new layout_errors/* OciLayoutError */.m(problem, { cause });
    };
    return (0,json_fields/* requiredString */.Fk)((0,json_fields/* parseJsonObject */.dw)(bytes, fail), 'mediaType', '', (problem) => fail(`${problem} (a manifest in an image layout must name its media type)`));
}


/***/ })

};

//# sourceMappingURL=994.index.js.map