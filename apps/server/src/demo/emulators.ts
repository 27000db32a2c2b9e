/**
 * The product's one door to the emulator package: demo wiring and tests import the emulators'
 * seeded ids and HTTP test clients from here, never from the package directly, so a glance at this
 * folder shows everything the product knows about its stand-ins.
 */
export * from '@mailissa/emulators';
export * from '@mailissa/emulators/test-client';
