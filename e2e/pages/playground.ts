/** Page object for the playground: stable handles by role, label and test id. */
import { expect, type Locator, type Page } from '@playwright/test';

export class PlaygroundPage {
  readonly editor: Locator;
  readonly disassembly: Locator;
  readonly example: Locator;
  readonly rows: Locator;
  readonly kernel: Locator;
  readonly llvm: Locator;
  readonly encoded: Locator;
  readonly problem: Locator;
  readonly summary: Locator;
  /** The file tabs of the editor. */
  readonly tabs: Locator;

  constructor(readonly page: Page) {
    this.editor = page.getByRole('region', { name: 'Editor' });
    this.disassembly = page.getByRole('region', { name: 'Disassembly' });
    this.example = page.getByLabel('Example');
    this.rows = this.disassembly.getByTestId('asm-row');
    this.kernel = this.disassembly.getByTestId('asm-kernel');
    this.llvm = this.disassembly.getByTestId('asm-llvm');
    this.encoded = this.disassembly.getByTestId('asm-encoded');
    this.problem = this.disassembly.getByTestId('asm-problem');
    this.summary = this.disassembly.getByTestId('asm-summary');
    this.tabs = this.editor.getByRole('tab');
  }

  tab(name: string): Locator {
    return this.editor.getByRole('tab', { name, exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto('./');
    await this.waitForEditor();
  }

  async waitForEditor(): Promise<void> {
    await this.page.waitForFunction(() => window.bpfplay?.editorReady() === true, null, { timeout: 15_000 });
    await expect(this.editor.locator('.monaco-editor')).toBeVisible();
  }

  /** Sets the editor text through the test hook (no typing). */
  async setSource(text: string): Promise<void> {
    await this.page.evaluate((t) => window.bpfplay!.setSource(t), text);
  }

  getSource(): Promise<string> {
    return this.page.evaluate(() => window.bpfplay!.getSource());
  }

  /** Text of the kernel column. */
  async kernelLines(): Promise<string[]> {
    return this.kernel.allTextContents();
  }
}
