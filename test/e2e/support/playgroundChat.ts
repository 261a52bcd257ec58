import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';

/** An accessibility problem axe-core found, as a test reports it. */
export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
  /** What axe says about each element, with its markup. */
  readonly nodes: string[];
}

/** The Playground's chat, seen and used as a person does: read the cards, type, click. */
export class PlaygroundChat {
  constructor(
    readonly page: Page,
    /** Where `screenshot` saves the cards (created when missing). */
    private readonly screenshotDir?: string,
  ) {}

  /** Opens the Playground and hides its log panel (it covers the chat in a narrow window). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.messageBox().waitFor();
    const hideLog = this.page.locator('button[title="Hide log panel"]');
    await hideLog.waitFor({ timeout: 15_000 }).catch(() => {});
    if (await hideLog.isVisible()) await hideLog.click();
  }

  messageBox(): Locator {
    return this.page.locator('[data-lexical-editor="true"][role="textbox"]');
  }

  cards(): Locator {
    return this.page.locator('.ac-adaptiveCard');
  }

  lastCard(): Locator {
    return this.cards().last();
  }

  /** Waits until the newest card in the chat shows `text`, and returns it. */
  async waitForCard(text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const card = this.lastCard().filter({ hasText: text });
    await card.waitFor({ timeout });
    return card;
  }

  /** Waits for a message (or any text) in the chat. */
  async waitForText(text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const found = this.page.getByText(text).last();
    await found.waitFor({ timeout });
    return found;
  }

  /** Types a message in the message box and sends it. */
  async send(text: string): Promise<void> {
    const box = this.messageBox();
    await box.click();
    await box.pressSequentially(text);
    await this.page.locator('button[aria-label="Send Message"]').click();
  }

  /** Clicks a button of the newest card by its visible title. */
  async click(title: string): Promise<void> {
    await this.lastCard().getByRole('button', { name: title, exact: true }).click();
  }

  /** Types into an input of the newest card, found by its label. */
  async type(label: string, value: string): Promise<void> {
    const input = this.lastCard().getByLabel(label, { exact: false });
    await input.click();
    await input.fill('');
    await input.pressSequentially(value);
  }

  /**
   * Walks the newest card with the Tab key, as a keyboard user does, from its
   * first focusable element; returns the buttons it lands on, and all buttons.
   */
  async tabThroughLastCard(): Promise<{ reached: string[]; buttons: string[] }> {
    const card = this.lastCard();
    const buttons = (await card.getByRole('button').allTextContents()).map((t) => t.trim()).filter(Boolean);
    const focusables = card.locator('button, input, [role="radio"], [role="combobox"], [tabindex="0"]');
    await focusables.first().focus();
    const reached = new Set<string>();
    const handle = await card.elementHandle();
    for (let i = 0; i < (await focusables.count()) + 10; i++) {
      const name = await this.page.evaluate((root) => {
        const active = document.activeElement as HTMLElement | null;
        return active && root?.contains(active) && (active.tagName === 'BUTTON' || active.getAttribute('role') === 'button')
          ? (active.textContent ?? '').trim()
          : '';
      }, handle);
      if (name) reached.add(name);
      await this.page.keyboard.press('Tab');
    }
    return { reached: [...reached], buttons };
  }

  /**
   * axe-core's serious and critical findings on the newest card (WCAG 2.x A
   * and AA rules, and axe's best practices), as the Playground renders it.
   */
  async axeLastCard(): Promise<AxeFinding[]> {
    const card = this.lastCard();
    await card.evaluate((el) => {
      for (const marked of Array.from(document.querySelectorAll('[data-axe-card]'))) marked.removeAttribute('data-axe-card');
      el.setAttribute('data-axe-card', '');
    });
    const results = await new AxeBuilder({ page: this.page }).include('[data-axe-card]').analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        rule: v.id,
        impact: v.impact ?? '',
        help: v.help,
        targets: v.nodes.map((n) => String(n.target)),
        nodes: v.nodes.map((n) => `${n.failureSummary ?? ''} ${n.html.slice(0, 300)}`),
      }));
  }

  /**
   * The texts of the newest card that are cut off at 200% zoom: the page laid
   * out in half as many CSS pixels (what browser zoom does), then every
   * element of the card whose content overflows a box that hides what
   * overflows, and the card itself where the chat around it hides part of it.
   */
  async clippedAtZoom200(): Promise<string[]> {
    const viewport = this.page.viewportSize();
    if (!viewport) throw new Error('the page has no viewport');
    await this.page.setViewportSize({ width: Math.round(viewport.width / 2), height: Math.round(viewport.height / 2) });
    try {
      await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      return await this.lastCard().evaluate((card: HTMLElement) => {
        const clipped: string[] = [];
        const hides = (style: CSSStyleDeclaration) => style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
        for (const el of Array.from(card.querySelectorAll<HTMLElement>('*'))) {
          const text = (el.textContent ?? '').trim();
          if (!text) continue;
          const style = getComputedStyle(el);
          if (hides(style) && el.scrollWidth > el.clientWidth + 1) clipped.push(text.slice(0, 80));
        }
        const box = card.getBoundingClientRect();
        for (let up = card.parentElement; up; up = up.parentElement) {
          const style = getComputedStyle(up);
          if (style.overflowX !== 'hidden' && style.overflowX !== 'clip') continue;
          const around = up.getBoundingClientRect();
          if (box.left < around.left - 1 || box.right > around.right + 1)
            clipped.push(`the card, by ${up.tagName.toLowerCase()}.${up.className}`);
        }
        return [...new Set(clipped)];
      });
    } finally {
      await this.page.setViewportSize(viewport);
    }
  }

  /**
   * Moves the focus with the Tab key alone, from where it is, to `target` (an
   * element of the page, found as a screen reader finds it: by role and name,
   * or by label): as a keyboard user does. Fails when the Tab key never gets there.
   */
  async tabTo(target: Locator, maxPresses = 80): Promise<void> {
    await target.waitFor();
    for (let i = 0; i < maxPresses; i++) {
      if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return;
      await this.page.keyboard.press('Tab');
    }
    throw new Error(`the Tab key never reached ${target}`);
  }

  /** Presses a button of the newest card with the keyboard only: Tab to it, then Enter. */
  async pressByKeyboard(title: string): Promise<void> {
    await this.tabTo(this.lastCard().getByRole('button', { name: title, exact: true }));
    await this.page.keyboard.press('Enter');
  }

  /** Types into an input of the newest card with the keyboard only: Tab to it (found by its label), then type. */
  async typeByKeyboard(label: string, value: string): Promise<void> {
    await this.tabTo(this.lastCard().getByLabel(label, { exact: false }));
    await this.page.keyboard.type(value);
  }

  /** Picks an option of the newest card's choice set with the keyboard only: Tab into the group, arrows to the option. */
  async chooseByKeyboard(title: string): Promise<void> {
    const option = this.lastCard().getByRole('radio', { name: title, exact: true });
    await this.tabTo(
      this.lastCard()
        .getByRole('radio')
        .first()
        .or(this.lastCard().getByRole('radio', { checked: true }))
        .first(),
    );
    for (let i = 0; i < 12 && !(await option.evaluate((el) => el === document.activeElement)); i++) {
      await this.page.keyboard.press('ArrowDown');
    }
    await this.page.keyboard.press('Space');
    if (!(await option.isChecked())) throw new Error(`the arrow keys never reached "${title}"`);
  }

  /** Writes a message with the keyboard only: Tab to the message box, type, and send with Enter. */
  async sendByKeyboard(text: string): Promise<void> {
    await this.tabTo(this.messageBox(), 200);
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Picks an option of a choice set of the newest card by its visible title. */
  async choose(title: string): Promise<void> {
    await this.lastCard().getByRole('radio', { name: title, exact: true }).check();
  }

  /** Saves a PNG of the newest card as `<screenshotDir>/<name>.png`, and returns its bytes. */
  async screenshot(name: string): Promise<Buffer> {
    // The pointer rests where the last button was: move it off the card so nothing shows as hovered.
    await this.page.mouse.move(0, 0);
    const png = await this.lastCard().screenshot({ animations: 'disabled' });
    if (this.screenshotDir) {
      fs.mkdirSync(this.screenshotDir, { recursive: true });
      fs.writeFileSync(path.join(this.screenshotDir, `${name}.png`), png);
    }
    return png;
  }
}
