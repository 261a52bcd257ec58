import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

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
