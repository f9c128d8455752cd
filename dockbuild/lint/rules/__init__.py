"""The rule registry: an explicit, ordered tuple. Adding a rule = one import, one line."""

from __future__ import annotations

from dockbuild.lint.rules.base import Rule
from dockbuild.lint.rules.df001_unparseable import DockerfileUnparseable
from dockbuild.lint.rules.df002_crlf import CrlfLineEndings
from dockbuild.lint.rules.df101_apt_one_run import AptNotInOneRun
from dockbuild.lint.rules.df102_apt_recommends import AptInstallsRecommends
from dockbuild.lint.rules.df103_apt_user_switch import AptUserSwitch
from dockbuild.lint.rules.df104_pip_one_run import PipNotInOneRun
from dockbuild.lint.rules.df105_requirements_copy import RequirementsNotCopiedFirst
from dockbuild.lint.rules.df201_base_image_arg import BaseImageArg
from dockbuild.lint.rules.df202_root_image import RootImageInService
from dockbuild.lint.rules.df203_cmd import CmdDisagreesWithManifest
from dockbuild.lint.rules.df204_expose import ExposeDisagreesWithManifest
from dockbuild.lint.rules.df205_bind import BindPortDisagreesWithManifest
from dockbuild.lint.rules.df206_entry_module import EntryModuleMissing
from dockbuild.lint.rules.df207_apt_packages import AptPackageMissing
from dockbuild.lint.rules.df208_declared_copy import DeclaredCopyMissing
from dockbuild.lint.rules.df209_undeclared_copy import UndeclaredCopy
from dockbuild.lint.rules.df301_app_user import AppUserMismatch
from dockbuild.lint.rules.df302_final_user import FinalUserNotAppUser
from dockbuild.lint.rules.df303_workdir import WorkdirMismatch
from dockbuild.lint.rules.df304_copy_destination import CopyOutsideWorkdir
from dockbuild.lint.rules.df305_chown import ChownMissing
from dockbuild.lint.rules.df306_path import PathLacksLocalBin
from dockbuild.lint.rules.df307_builder_pip import BuilderPipNotOneRun
from dockbuild.lint.rules.df308_duplicate_base_copy import DuplicateBaseCopy
from dockbuild.lint.rules.df401_copy_excluded import CopySourceExcluded
from dockbuild.lint.rules.df402_copy_missing import CopySourceMissing
from dockbuild.lint.rules.df403_secret_instruction import SecretInInstruction
from dockbuild.lint.rules.df404_secret_file import SecretFileInContext
from dockbuild.lint.rules.df405_rendered_from import RenderedFromUntagged
from dockbuild.lint.rules.df406_rendered_registry import RenderedFromUntrustedRegistry
from dockbuild.lint.rules.df407_dockerignore_missing import DockerignoreMissing

ALL_RULES: tuple[Rule, ...] = (
    DockerfileUnparseable(),
    CrlfLineEndings(),
    AptNotInOneRun(),
    AptInstallsRecommends(),
    AptUserSwitch(),
    PipNotInOneRun(),
    RequirementsNotCopiedFirst(),
    BaseImageArg(),
    RootImageInService(),
    CmdDisagreesWithManifest(),
    ExposeDisagreesWithManifest(),
    BindPortDisagreesWithManifest(),
    EntryModuleMissing(),
    AptPackageMissing(),
    DeclaredCopyMissing(),
    UndeclaredCopy(),
    AppUserMismatch(),
    FinalUserNotAppUser(),
    WorkdirMismatch(),
    CopyOutsideWorkdir(),
    ChownMissing(),
    PathLacksLocalBin(),
    BuilderPipNotOneRun(),
    DuplicateBaseCopy(),
    CopySourceExcluded(),
    CopySourceMissing(),
    SecretInInstruction(),
    SecretFileInContext(),
    RenderedFromUntagged(),
    RenderedFromUntrustedRegistry(),
    DockerignoreMissing(),
)

BY_CODE = {rule.code: rule for rule in ALL_RULES}
