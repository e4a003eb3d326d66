// Development examples added after the split. When a description of the frozen test part is
// missed, the parser and lexicon are never changed to fix it; a development example of the same
// construct goes here instead (with a note of which test miss it stands for), and the parser is
// worked on against the development part only.

/** @type {{ desc: string; n: number; gold: object; constructs: string[]; standsFor?: string }[]} */
export const DEV_EXTRA = [];
