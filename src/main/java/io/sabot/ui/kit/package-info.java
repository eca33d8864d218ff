/**
 * The console's shared pieces: the contract of a view that can be shown and hidden
 * ({@link io.sabot.ui.kit.Activatable}), icons, state colours, the status bar, toasts, a canvas
 * that redraws on resize and a form that reflows to one column. The window (io.sabot.ui) and
 * every view package use them; they use no view and not the window, so the console's packages
 * depend on each other one way (MainArchitectureTest.noCyclesBetweenSubPackages).
 */
package io.sabot.ui.kit;
