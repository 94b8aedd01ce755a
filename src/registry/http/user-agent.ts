/** Our version, kept in step with package.json by hand (importing package.json would pull it into the bundle). */
export const VERSION = '0.1.0';

/** Where registry operators can find out who is calling. */
export const PROJECT_URL = 'https://github.com/multiarch-publish/multiarch-publish';

/** The User-Agent header every registry request carries. */
export const defaultUserAgent = `multiarch-publish/${VERSION} (+${PROJECT_URL})`;
