import { describe, expect, it } from "vitest";
import { heuristicPlanDetailed } from "../../../src/decomposition/index.js";

/** The task ids of the tasks holding requirements whose text contains `fragment`. */
function plan(spec: string) {
  const d = heuristicPlanDetailed(spec);
  const byId = new Map(d.plan.tasks.map((t) => [t.id, t]));
  const owner = (fragment: string) => {
    const r = d.spec.requirements.find((x) => x.text.includes(fragment));
    const t = d.plan.tasks.find((x) => r !== undefined && x.requirements.includes(r.id));
    if (!t) throw new Error(`no task for ${fragment}`);
    return t;
  };
  /** Does the task of `a` wait (transitively) for the task of `b`? */
  const waits = (a: string, b: string): boolean => {
    const target = owner(b).id;
    const stack = [...owner(a).dependsOn];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (id === target) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(byId.get(id)?.dependsOn ?? []));
    }
    return false;
  };
  return { ...d, owner, waits };
}

describe("dependencies stated in prose", () => {
  const spec = `# Fleet tracker

## Vehicles

- Staff MUST register a vehicle with its plate and model year.

## Trips

Trips can only be recorded once vehicles exist.

- A driver MUST start and end a trip from the phone.

## Fuel log

- Each refuelling MUST be logged with litres and price; this depends on trips.

## Monthly report

The report needs the fuel log and the trips.

- A monthly report MUST show cost per kilometre per vehicle.

## Maintenance planner

- The planner SHOULD schedule a service every 15,000 km, based on the trips.

## Exports

- Exports MUST be written as CSV before the monthly report.
`;
  const p = plan(spec);

  it("makes a section that says it needs, depends on or comes once another exists wait for that section", () => {
    expect(p.waits("start and end a trip", "register a vehicle")).toBe(true);
    expect(p.waits("litres and price", "start and end a trip")).toBe(true);
    expect(p.waits("cost per kilometre", "litres and price")).toBe(true);
    expect(p.waits("cost per kilometre", "start and end a trip")).toBe(true);
    expect(p.waits("schedule a service", "start and end a trip")).toBe(true);
  });

  it("makes the section named after 'before' wait for the section that says it", () => {
    expect(p.waits("cost per kilometre", "written as CSV")).toBe(true);
    expect(p.waits("written as CSV", "cost per kilometre")).toBe(false);
  });

  it("leaves sections that name no other section free to run at once", () => {
    expect(p.waits("register a vehicle", "start and end a trip")).toBe(false);
    expect(p.waits("written as CSV", "register a vehicle")).toBe(false);
    expect(p.warnings).toEqual([]);
  });
});

describe("what is not a dependency", () => {
  it("reads sentences about time ('expires after 30 days', 'before saving') as no dependency", () => {
    const p = plan(`# App

## Sessions

- A session MUST expire after 30 days of inactivity.

## Editor

- The editor MUST validate the fields before saving and show the errors next to them.
`);
    expect(p.waits("expire after 30 days", "validate the fields")).toBe(false);
    expect(p.waits("validate the fields", "expire after 30 days")).toBe(false);
  });

  it("drops a stated dependency that would close a cycle and says which one", () => {
    const p = plan(`# Loop

## Alpha

- Alpha MUST be built after beta.

## Beta

- Beta MUST be built after alpha.
`);
    expect(p.waits("Alpha MUST", "Beta MUST") !== p.waits("Beta MUST", "Alpha MUST")).toBe(true);
    expect(p.warnings.join("\n")).toMatch(/ignored the dependency of (alpha|beta) on (alpha|beta): it would close a cycle/);
  });
});

describe("the API named after a cue", () => {
  const p = plan(`# Shop

## API

### Products endpoints

- \`GET /products\` MUST list products, filtered by category and price range, sorted by name or price.
- \`GET /products/:id\` MUST return one product with its stock level and images, or 404.

### Orders endpoints

- \`POST /orders\` MUST place an order, checking stock and reserving the items in one transaction.
- \`GET /orders/:id\` MUST return an order with its lines, totals and payment status, or 404.

## Command-line client

The command-line client depends on the API.

- \`shop products\` MUST print the products.

## Status page

- The status page MUST show whether the service is up; it needs the API.
`);

  it("means the API tasks the dependent text is about", () => {
    expect(p.waits("print the products", "list products")).toBe(true);
    expect(p.waits("print the products", "place an order")).toBe(false);
  });

  it("means every API task when the text is about none of them", () => {
    expect(p.waits("whether the service is up", "list products")).toBe(true);
    expect(p.waits("whether the service is up", "place an order")).toBe(true);
  });
});

describe("entities", () => {
  it("gives a data model written as prose a task that the code using its entities waits for", () => {
    const p = plan(`# Clinic

## Data model

A patient has a name, a birth date and an insurance number. Each appointment belongs to one patient and has a start time.

## Booking

- Staff MUST book an appointment for a patient.

## Reminders

- An SMS MUST remind the patient a day before the appointment.
`);
    expect(p.plan.tasks.some((t) => t.category === "data-model")).toBe(true);
    expect(p.spec.models).toEqual(["Patient", "Appointment"]);
    const model = p.plan.tasks.find((t) => t.category === "data-model");
    expect(p.owner("book an appointment").dependsOn).toContain(model?.id);
    expect(p.waits("remind the patient", "book an appointment")).toBe(false);
  });
});

describe("tests and foundations inside a feature's section", () => {
  it("make a feature's own tests wait for that feature only, and top-level tests for every feature", () => {
    const p = plan(`# Shop

## Billing

- \`POST /invoices\` MUST create an invoice.

### Billing tests

- Invoices MUST be tested with rounding edge cases.

### Billing error handling

- Errors MUST name the invoice.

## Catalogue

- \`GET /products\` MUST list products.

## Testing

- End-to-end tests MUST cover every endpoint.
`);
    expect(p.waits("tested with rounding", "create an invoice")).toBe(true);
    expect(p.waits("tested with rounding", "list products")).toBe(false);
    expect(p.waits("create an invoice", "name the invoice")).toBe(true);
    expect(p.waits("list products", "name the invoice")).toBe(false);
    expect(p.waits("cover every endpoint", "list products")).toBe(true);
    expect(p.waits("cover every endpoint", "create an invoice")).toBe(true);
  });
});
