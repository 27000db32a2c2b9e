// The font engine ships no types; it implements the engine interface pdf-lib declares (fontkit's API).
declare module '@foliojs-fork/fontkit' {
  import type { Fontkit } from 'pdf-lib/cjs/types/fontkit.js';

  const fontkit: Fontkit;
  export default fontkit;
}
