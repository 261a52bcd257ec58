import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { FUNNEL, type Summary } from './summary';
import { language, say } from './texts';

// Only what the two charts use, so the bundle stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
// Labels as large and as dark as the page's own text.
Chart.defaults.font.size = 14;
Chart.defaults.color = '#1b1b1b';

/** Colours with enough contrast on white, told apart by the legend's order as well. */
const COLOURS = ['#1f4e79', '#2e75b6', '#6a8caf', '#2f7d32'];

/** Numbers on the charts as the page's language writes them (Chart.js formats with `Intl` in `locale`). */
const common = { animation: false, responsive: true, maintainAspectRatio: false, locale: language } as const;

/** The charts drawn into the canvases the sections render; each is redrawn with its section. */
export class Charts {
  private readonly drawn = new Map<string, Chart>();

  draw(summary: Summary): void {
    this.replace('funnel-chart', (canvas) => {
      return new Chart(canvas, {
        type: 'bar',
        data: {
          labels: summary.campaigns.map((c) => c.name),
          datasets: FUNNEL.map((key, i) => ({
            label: say(`counts.${key}`),
            data: summary.campaigns.map((c) => c.counts[key]),
            backgroundColor: COLOURS[i],
          })),
        },
        options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    });
    this.replace('completions-chart', (canvas) => {
      return new Chart(canvas, {
        type: 'line',
        data: {
          labels: summary.completions.map((d) => d.day),
          datasets: [{ label: say('completionsColumn'), data: summary.completions.map((d) => d.count), borderColor: COLOURS[0], backgroundColor: COLOURS[0] }],
        },
        options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    });
  }

  private replace(id: string, make: (canvas: HTMLCanvasElement) => Chart): void {
    this.drawn.get(id)?.destroy();
    this.drawn.delete(id);
    const canvas = document.getElementById(id);
    if (canvas instanceof HTMLCanvasElement) this.drawn.set(id, make(canvas));
  }
}
