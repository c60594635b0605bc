import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { bloodGroups, maritalStatuses, normalizePhone, type Sex, sexes } from '@newhms/contracts';
import { useId } from 'react';
import type { FieldErrors } from '../../../ui/form-validation';
import { type DemographicValues, emptyPhone, type PhoneRow } from '../patient-form-values';
import { commonLanguages, maritalStatusLabels, phoneKindLabels, sexLabels } from '../patient-labels';
import { FormSection, fieldGrid } from './form-section';

type Props = {
  values: DemographicValues;
  onChange: (patch: Partial<DemographicValues>) => void;
  errors: FieldErrors;
  /** The first field takes the focus (the registration form). */
  autoFocus?: boolean;
};

const today = () => new Date().toISOString().slice(0, 10);

/** Name, sex, birth, phones, e-mail, address and the other details: registration and the edit form. */
export function DemographicFields({ values, onChange, errors, autoFocus }: Props) {
  const sexLabelId = useId();
  const setPhone = (i: number, patch: Partial<PhoneRow>) =>
    onChange({ phones: values.phones.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const birthError = errors.birth;
  return (
    <>
      <FormSection title="Name and sex">
        <Box sx={fieldGrid}>
          <TextField
            label="Given name"
            value={values.given}
            onChange={(e) => onChange({ given: e.target.value })}
            error={!!errors['name.given']}
            helperText={errors['name.given'] ?? 'A single name goes here or in family name'}
            autoFocus={autoFocus}
            autoComplete="off"
          />
          <TextField
            label="Middle name"
            value={values.middle}
            onChange={(e) => onChange({ middle: e.target.value })}
            error={!!errors['name.middle']}
            helperText={errors['name.middle']}
            autoComplete="off"
          />
          <TextField
            label="Family name"
            value={values.family}
            onChange={(e) => onChange({ family: e.target.value })}
            error={!!errors['name.family']}
            helperText={errors['name.family']}
            autoComplete="off"
          />
        </Box>
        <FormControl error={!!errors.sex} sx={{ mt: 2 }} component="fieldset" required>
          <FormLabel id={sexLabelId} component="legend">
            Sex
          </FormLabel>
          <RadioGroup
            row
            aria-labelledby={sexLabelId}
            value={values.sex}
            onChange={(e) => onChange({ sex: e.target.value as Sex })}
          >
            {sexes.map((s) => (
              <FormControlLabel key={s} value={s} control={<Radio />} label={sexLabels[s]} />
            ))}
          </RadioGroup>
          {errors.sex && <FormHelperText>{errors.sex}</FormHelperText>}
        </FormControl>
      </FormSection>

      <FormSection title="Date of birth or age">
        <ToggleButtonGroup
          exclusive
          size="small"
          color="primary"
          aria-label="Birth given as"
          value={values.birthMode}
          onChange={(_, mode: DemographicValues['birthMode'] | null) =>
            mode && onChange({ birthMode: mode, birthChanged: true })
          }
          sx={{ mb: 2 }}
        >
          <ToggleButton value="date">Date of birth</ToggleButton>
          <ToggleButton value="age">Age</ToggleButton>
        </ToggleButtonGroup>
        {values.birthMode === 'date' ? (
          <Box sx={fieldGrid}>
            <TextField
              label="Date of birth"
              type="date"
              value={values.birthDate}
              onChange={(e) => onChange({ birthDate: e.target.value, birthChanged: true })}
              error={!!(errors['birth.birthDate'] ?? birthError)}
              helperText={
                errors['birth.birthDate'] ?? birthError ?? 'Leave empty and choose Age when unknown'
              }
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: today(), min: '1890-01-01' } }}
            />
          </Box>
        ) : (
          <Box sx={fieldGrid}>
            <TextField
              label="Age in years"
              type="number"
              value={values.ageYears}
              onChange={(e) => onChange({ ageYears: e.target.value, birthChanged: true })}
              error={!!(errors['birth.age.years'] ?? birthError)}
              helperText={errors['birth.age.years'] ?? birthError ?? 'Stored as an estimated date of birth'}
              slotProps={{ htmlInput: { min: 0, max: 130, inputMode: 'numeric' } }}
            />
            <TextField
              label="and months"
              type="number"
              value={values.ageMonths}
              onChange={(e) => onChange({ ageMonths: e.target.value, birthChanged: true })}
              error={!!errors['birth.age.months']}
              helperText={errors['birth.age.months'] ?? 'For young children'}
              slotProps={{ htmlInput: { min: 0, max: 11, inputMode: 'numeric' } }}
            />
          </Box>
        )}
      </FormSection>

      <FormSection title="Phone and e-mail">
        <Stack spacing={2}>
          {values.phones.map((phone, i) => {
            const key = `phones.${i}.number`;
            const looksWrong = phone.number.trim().length >= 10 && !normalizePhone(phone.number);
            const n = i + 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
              <Box key={i} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
                <TextField
                  label={`Phone ${n}`}
                  type="tel"
                  value={phone.number}
                  onChange={(e) => setPhone(i, { number: e.target.value })}
                  error={!!errors[key] || looksWrong}
                  helperText={
                    errors[key] ??
                    (looksWrong ? 'a mobile number: 10 digits starting 6-9, or +country code' : undefined)
                  }
                  slotProps={{ htmlInput: { inputMode: 'tel', autoComplete: 'off' } }}
                  sx={{ flex: '1 1 220px' }}
                />
                <TextField
                  select
                  label={`Phone ${n} type`}
                  value={phone.kind}
                  onChange={(e) => setPhone(i, { kind: e.target.value as PhoneRow['kind'] })}
                  sx={{ flex: '0 1 140px' }}
                >
                  {Object.entries(phoneKindLabels).map(([k, label]) => (
                    <MenuItem key={k} value={k}>
                      {label}
                    </MenuItem>
                  ))}
                </TextField>
                {values.phones.length > 1 && (
                  <IconButton
                    aria-label={`Remove phone ${n}`}
                    onClick={() => onChange({ phones: values.phones.filter((_, j) => j !== i) })}
                  >
                    <DeleteOutline />
                  </IconButton>
                )}
              </Box>
            );
          })}
          {values.phones.length < 5 && (
            <Box>
              <Button
                startIcon={<Add />}
                onClick={() => onChange({ phones: [...values.phones, emptyPhone()] })}
                size="small"
              >
                Add phone
              </Button>
            </Box>
          )}
          <Box sx={fieldGrid}>
            <TextField
              label="E-mail"
              type="email"
              value={values.email}
              onChange={(e) => onChange({ email: e.target.value })}
              error={!!errors.email}
              helperText={errors.email}
              autoComplete="off"
            />
          </Box>
        </Stack>
      </FormSection>

      <FormSection title="Address">
        <Box sx={fieldGrid}>
          <TextField
            label="House, street"
            value={values.line}
            onChange={(e) => onChange({ line: e.target.value })}
            error={!!errors['address.line']}
            helperText={errors['address.line']}
            sx={{ gridColumn: { sm: '1 / -1' } }}
          />
          <TextField
            label="Locality or village"
            value={values.locality}
            onChange={(e) => onChange({ locality: e.target.value })}
            error={!!errors['address.locality']}
            helperText={errors['address.locality']}
          />
          <TextField
            label="District"
            value={values.district}
            onChange={(e) => onChange({ district: e.target.value })}
            error={!!errors['address.district']}
            helperText={errors['address.district']}
          />
          <TextField
            label="State"
            value={values.state}
            onChange={(e) => onChange({ state: e.target.value })}
            error={!!errors['address.state']}
            helperText={errors['address.state']}
          />
          <TextField
            label="PIN code"
            value={values.postalCode}
            onChange={(e) => onChange({ postalCode: e.target.value })}
            error={!!errors['address.postalCode']}
            helperText={errors['address.postalCode']}
            slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 10 } }}
          />
          <TextField
            label="Country"
            value={values.country}
            onChange={(e) => onChange({ country: e.target.value.toUpperCase() })}
            error={!!errors['address.country']}
            helperText={errors['address.country'] ?? 'Two-letter code, IN for India'}
            slotProps={{ htmlInput: { maxLength: 2 } }}
          />
        </Box>
      </FormSection>

      <FormSection title="Other details">
        <Box sx={fieldGrid}>
          <Autocomplete
            freeSolo
            options={commonLanguages}
            value={values.preferredLanguage}
            inputValue={values.preferredLanguage}
            onInputChange={(_, v) => onChange({ preferredLanguage: v })}
            renderInput={(params) => (
              <TextField
                {...params}
                label="Preferred language"
                error={!!errors.preferredLanguage}
                helperText={errors.preferredLanguage}
              />
            )}
          />
          <TextField
            select
            label="Marital status"
            value={values.maritalStatus}
            onChange={(e) =>
              onChange({ maritalStatus: e.target.value as DemographicValues['maritalStatus'] })
            }
          >
            <MenuItem value="">
              <em>Not given</em>
            </MenuItem>
            {maritalStatuses.map((m) => (
              <MenuItem key={m} value={m}>
                {maritalStatusLabels[m]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Occupation"
            value={values.occupation}
            onChange={(e) => onChange({ occupation: e.target.value })}
            error={!!errors.occupation}
            helperText={errors.occupation}
          />
          <TextField
            select
            label="Blood group"
            value={values.bloodGroup}
            onChange={(e) => onChange({ bloodGroup: e.target.value as DemographicValues['bloodGroup'] })}
          >
            <MenuItem value="">
              <em>Not known</em>
            </MenuItem>
            {bloodGroups.map((b) => (
              <MenuItem key={b} value={b}>
                {b}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      </FormSection>
    </>
  );
}
