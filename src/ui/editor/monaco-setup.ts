/**
 * Monaco, bundled: the editor API plus the editing features we use, the C grammar, our
 * BPF assembly language, our themes, and the editor worker built by Vite. Imported only
 * from the lazily loaded editor chunk, so none of this is in the page's first bundle, and
 * nothing is fetched from a CDN.
 *
 * The features are picked from monaco-editor's `features/register.all.js`; languages
 * are not (each grammar we want is registered explicitly: C from monaco's own
 * definitions, BPF assembly ours).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/fontZoom/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/inspectTokens/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/quickHelp/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/tokenization/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/wordPartOperations/register';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus';
import 'monaco-editor/editor/common/standaloneStrings';
import 'monaco-editor/languages/definitions/cpp/register';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { BPF_ASM_LANGUAGE_ID, bpfAsmConfiguration, bpfAsmMonarch } from './bpf-asm-language';

export type MonacoApi = typeof monaco;

// The only worker Monaco needs here: the generic editor worker (diffing, word ranges).
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

monaco.languages.register({ id: BPF_ASM_LANGUAGE_ID, extensions: ['.s', '.S', '.asm'], aliases: ['BPF assembly', 'bpf-asm'] });
monaco.languages.setMonarchTokensProvider(BPF_ASM_LANGUAGE_ID, bpfAsmMonarch);
monaco.languages.setLanguageConfiguration(BPF_ASM_LANGUAGE_ID, bpfAsmConfiguration);

// Themes that match the page's palette (styles.css); token colours for the grammar.
monaco.editor.defineTheme('bpfplay-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'variable.predefined', foreground: '9cdcfe' },
    { token: 'predefined', foreground: 'dcdcaa' },
    { token: 'type', foreground: '4ec9b0' },
    { token: 'type.identifier', foreground: 'c586c0', fontStyle: 'bold' },
    { token: 'keyword.directive', foreground: 'd7ba7d' },
  ],
  colors: { 'editor.background': '#16181d' },
});
monaco.editor.defineTheme('bpfplay-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'variable.predefined', foreground: '001080' },
    { token: 'predefined', foreground: '795e26' },
    { token: 'type', foreground: '267f99' },
    { token: 'type.identifier', foreground: 'af00db', fontStyle: 'bold' },
    { token: 'keyword.directive', foreground: '8a5a00' },
  ],
  colors: { 'editor.background': '#ffffff' },
});

export { monaco };
