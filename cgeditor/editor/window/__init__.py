"""The application and its main window: start-up, the window's actions and menus, file
dialogs and recent files, exporting from the window, and the guard that keeps an exception in
a slot from ending the program."""
