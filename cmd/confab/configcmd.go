package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/store/config"
)

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show where the config file is, or check it",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError("run 'confab config path' or 'confab config check'", "config needs a subcommand")
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "Print the config file's path",
		Long: `Print the path of the config file confab reads: --config, else $CONFAB_CONFIG, else
$XDG_CONFIG_HOME/confab/config.toml (~/.config/confab/config.toml). A note on stderr says when
the file does not exist.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, _, err := config.Path(a.configFlag, a.getenv)
			if err != nil {
				return usageError("", "%v", err)
			}
			fmt.Fprintln(a.stdout, path)
			if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintln(a.stderr, "confab: note: the file does not exist yet")
			}
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the config file and list every problem",
		Long: `Validate the config file. Every error and warning is printed as "file:line: message";
the exit code is 2 when there is an error, 0 otherwise (warnings alone do not fail).`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error { return a.configCheck() },
	})
	return cmd
}

func (a *app) configCheck() error {
	path, explicit, err := config.Path(a.configFlag, a.getenv)
	if err != nil {
		return usageError("", "%v", err)
	}
	cfg, err := config.Loader{Vendors: a.registry()}.Load(path)
	var cerr *config.Error
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		fmt.Fprintf(a.stdout, "%s: no config file (no sources); 'confab demo' needs none\n", path)
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return usageError("check --config or CONFAB_CONFIG", "config file %s does not exist", path)
	case errors.As(err, &cerr):
		// Errors and warnings together, in line order.
		all := append([]config.Problem(nil), cerr.Problems...)
		if cfg != nil { // nil when the file is not valid TOML: there is nothing to warn about
			all = append(all, cfg.Warnings...)
		}
		sortProblems(all)
		for _, p := range all {
			fmt.Fprintln(a.stdout, p.String())
		}
		return &exitError{code: exitUsage, err: err,
			what: fmt.Sprintf("config check: %d error%s in %s", len(cerr.Problems), plural(len(cerr.Problems)), path),
			hint: "fix them and run it again"}
	case err != nil:
		return usageError("check the file's permissions", "%v", err)
	}
	for _, p := range cfg.Warnings {
		fmt.Fprintln(a.stdout, p.String())
	}
	for _, s := range cfg.Sources {
		if _, ok := a.vendor(s.Kind); !ok {
			fmt.Fprintln(a.stdout, config.Problem{File: path, Line: s.Line, Warning: true,
				Msg: fmt.Sprintf("source %q: kind %s is %v", s.Name, s.Kind, errUnsupportedKind)}.String())
		}
	}
	fmt.Fprintf(a.stdout, "%s: ok (%d source%s, %d view%s)\n", path,
		len(cfg.Sources), plural(len(cfg.Sources)), len(cfg.Views), plural(len(cfg.Views)))
	return nil
}

func sortProblems(ps []config.Problem) {
	slices.SortStableFunc(ps, func(a, b config.Problem) int { return a.Line - b.Line })
}
