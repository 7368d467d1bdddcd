"""Settings of the HTTP API, in one place, read from the environment.

======================  ===========================================================  ========
variable                meaning                                                      default
======================  ===========================================================  ========
``ZHENKG_API_TOKEN``    bearer token that uploads must present; unset: uploads off   unset
``ZHENKG_MAX_UPLOAD``   largest accepted upload, in bytes                            20 MB
``ZHENKG_THIN_BELOW``   a chain link with fewer local firms than this is thin (强链)   2
======================  ===========================================================  ========

>>> s = Settings.from_env({"ZHENKG_MAX_UPLOAD": "1024"})
>>> s.max_upload, s.api_token is None, s.thin_below
(1024, True, 2)
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from graph.errors import ZhenkgError

MB = 1024 * 1024
ENV = {
    "api_token": "ZHENKG_API_TOKEN",
    "max_upload": "ZHENKG_MAX_UPLOAD",
    "thin_below": "ZHENKG_THIN_BELOW",
}


class InvalidSettings(ZhenkgError):
    """An environment variable holds a value the API cannot use."""


class Settings(BaseModel):
    """What the API needs to know beyond the store."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    api_token: SecretStr | None = Field(
        default=None, description="bearer token for uploads; None refuses every upload (403)"
    )
    max_upload: int = Field(default=20 * MB, gt=0, description="largest upload in bytes")
    thin_below: int = Field(default=2, ge=1, description="firms below which a link is thin")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); empty variables count as unset.

        Raises:
            InvalidSettings: a variable does not parse (the message names it).
        """
        env = os.environ if environ is None else environ
        values = {field: env[var] for field, var in ENV.items() if env.get(var, "").strip()}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{ENV[str(e['loc'][0])]}={values.get(str(e['loc'][0]))!r}: {e['msg']}"
                for e in exc.errors()
            )
            raise InvalidSettings(problems) from exc
