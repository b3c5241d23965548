/**
 * Running programs: Run and the Output panel (r0 and what it means, faults at their
 * instruction, "Run anyway" for a rejected program, Run N times), the Maps panel (a map
 * value changing with each run, edits between runs), the Input panel (builder, presets,
 * hex, context fields), and stepping through the execution (registers, stack, step
 * effects, breakpoints, Run to cursor, Reset).
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const shot = (name: string) => ({ path: join(ARTIFACTS, `run-${name}.png`) });

test('run the XDP counter and see the map value change; edit the packet and rerun', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.example.selectOption('xdp-counter');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByTestId('retval-name')).toHaveText('XDP_PASS');
  await expect(output.getByTestId('retval')).toContainText('pass the packet on to the network stack');
  await expect(output.getByTestId('run-stats')).toHaveText('11 instructions executed');
  const maps = page.getByRole('region', { name: 'Maps' });
  const counter = maps.locator('[data-map="counter"]');
  await expect(counter.getByTestId('map-value')).toHaveText('1');
  await expect(counter.getByTestId('map-was')).toHaveText(' was 0');
  // The keyboard runs it again: the counter goes on from the map's value.
  await page.keyboard.press('Control+Shift+Enter');
  await expect(counter.getByTestId('map-value')).toHaveText('2');
  await expect(counter.getByTestId('map-was')).toHaveText(' was 1');
  await page.screenshot(shot('01-counter'));

  // Run N times: the counter counts every run, and the time per run is reported.
  await output.getByLabel('Number of runs').fill('100');
  await output.getByRole('button', { name: 'Run N times' }).click();
  await expect(counter.getByTestId('map-value')).toHaveText('102');
  await expect(output.getByTestId('run-stats')).toContainText(/100 runs · [\d.]+ (ns|µs) per run · [\d.]+ M insns\/s/);

  // An edit between runs: the next run starts from it.
  await counter.getByRole('button', { name: /^Edit counter entry/ }).click();
  await counter.getByLabel('New value for counter').fill('41');
  await counter.getByLabel('New value for counter').press('Enter');
  await expect(counter.getByTestId('map-value')).toHaveText('41');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(counter.getByTestId('map-value')).toHaveText('42');

  // The bounds-checked parser drops IPv6: change the packet in the builder and run again.
  await app.example.selectOption('xdp-bounds');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output.getByTestId('retval-name')).toHaveText('XDP_PASS');
  const input = page.getByRole('region', { name: 'Input' });
  await input.getByLabel('Network layer').selectOption('ipv6');
  await expect(input.getByTestId('packet-summary')).toHaveText('IPv6 fd00::1:40000 → fd00::2:53 UDP, 5 bytes of payload · 67 bytes');
  await expect(output.getByText('The program or its input changed since this run.')).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output.getByTestId('retval-name')).toHaveText('XDP_DROP');
  await page.screenshot(shot('02-ipv6-dropped'));

  // Hex: a frame too short for an Ethernet header is refused, as the kernel's test run does.
  await input.getByRole('button', { name: 'Edit hex' }).click();
  await input.getByLabel('Packet bytes (hex)').fill('00 01 02 03 04 05 06 07 08 09');
  await expect(input.getByTestId('packet-summary')).toHaveText('10 bytes, not a whole Ethernet header · 10 bytes');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output.getByTestId('run-start-error')).toContainText('shorter than an Ethernet header (14 bytes)');
  await input.getByLabel('Packet preset').selectOption('ipv4-tcp-syn');
  await expect(input.getByTestId('packet-summary')).toHaveText('IPv4 192.168.1.10:51000 → 93.184.216.34:80 TCP [SYN] · 54 bytes');
});

test('a rejected program runs only when asked to, and its fault points at the instruction', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.setSource('.section xdp\n    r2 = *(u32 *)(r1 +0)\n    r0 = *(u8 *)(r2 +100)    ; no bounds check\n    exit\n');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByTestId('run-rejected')).toContainText('Not run: the verifier rejects prog');
  await expect(output.getByTestId('run-rejected')).toContainText('invalid access to packet, off=100 size=1');
  await output.getByRole('button', { name: 'Run anyway' }).click();
  await expect(output.getByTestId('ran-anyway')).toContainText('Ran anyway');
  await expect(output.getByTestId('run-error')).toContainText('out-of-bounds read of 1 byte at pkt+100 (pkt spans pkt+0..pkt+47) (insn 1)');
  await output.getByTestId('run-error').getByRole('button', { name: 'insn 1 (prog.s:3)' }).click();
  await expect(app.editor.locator('.view-line').nth(2)).toContainText('r0 = *(u8 *)(r2 +100)');
  await page.screenshot(shot('03-run-anyway'));
});

test('a kprobe reads its arguments from the registers given in the Input panel', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.setSource('.section kprobe/do_sys_openat2\n    r0 = *(u64 *)(r1 +112)   ; PT_REGS_PARM1(ctx)\n    r0 += 1\n    exit\n');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const input = page.getByRole('region', { name: 'Input' });
  await input.getByLabel('Value of di').fill('41');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByTestId('retval')).toContainText('r042keepthe perf event sample is recorded');
  // Kept with the workspace.
  await page.evaluate(() => window.bpfplay!.flushSave());
  await page.reload();
  await app.waitForEditor();
  await page.getByRole('tab', { name: 'Run' }).click();
  await expect(page.getByRole('region', { name: 'Input' }).getByLabel('Value of di')).toHaveValue('41');
});

test('step through an execution: registers, stack, breakpoints, Run to cursor, Reset', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.example.selectOption('xdp-counter');
  await page.keyboard.press('F10');
  const exec = page.getByRole('region', { name: 'Execution' });
  const status = exec.getByTestId('exec-step-status');
  await expect(status).toContainText('step 1 of 11 · insn 0 · prog.s:7');
  for (let k = 0; k < 5; k++) await page.keyboard.press('F10');
  await expect(status).toContainText('step 6 of 11 · insn 6 · prog.s:12');
  await expect(exec.getByTestId('step-effects')).toHaveText('call bpf_map_lookup_elem on counter key 00000000 → r0 = counter+0');
  const regs = page.getByRole('region', { name: 'Registers' });
  await expect(regs).toContainText('execution');
  await expect(regs.getByTestId('reg-row').nth(0)).toContainText('pointer to map value counter+0');
  await expect(regs.getByTestId('reg-row').nth(2)).toContainText('pointer to stack fp-4');
  const stack = page.getByRole('region', { name: 'Stack' });
  await expect(stack.getByTestId('stack-row')).toHaveText(['fp-800 00 00 00 00 00 00 000']);
  // The instruction's line is marked in the editor (line 12: the call).
  await expect(app.editor.locator('.current-step-line')).toHaveCount(1);
  await page.screenshot(shot('04-stepping'));
  await page.keyboard.press('Shift+F10');
  await expect(status).toContainText('step 5 of 11 · insn 4');

  // A breakpoint on line 15 (the atomic add): Continue stops there.
  await page.getByRole('tab', { name: 'Disassembly' }).click();
  await page.getByRole('button', { name: 'Breakpoint at line 15' }).click();
  await expect(page.getByRole('button', { name: 'Breakpoint at line 15' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('F8');
  await expect(status).toContainText('step 9 of 11 · insn 9 · prog.s:15');
  await expect(app.editor.locator('.breakpoint-glyph')).toHaveCount(1);

  // Run to cursor: the editor's line 17 (r0 = 2).
  await app.editor.locator('.view-line').nth(16).click();
  await page.keyboard.press('Control+F10');
  await expect(status).toContainText('step 10 of 11 · insn 10 · prog.s:17');
  await expect(regs.getByTestId('reg-row').nth(0)).toContainText('scalar 2');

  // Reset: the history is gone, the maps are made anew.
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByRole('tab', { name: 'Execution' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Run' }).click();
  await expect(page.getByRole('region', { name: 'Maps' }).getByTestId('map-value')).toHaveText('0');
});
